-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_annotation_labelmap" (
    "version_id" TEXT NOT NULL,
    "series_id" TEXT NOT NULL,
    "layer" INTEGER NOT NULL DEFAULT 0,
    "columns" INTEGER NOT NULL,
    "rows" INTEGER NOT NULL,
    "slices" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "bytes" INTEGER NOT NULL,
    "counts" TEXT NOT NULL,

    PRIMARY KEY ("version_id", "series_id", "layer"),
    CONSTRAINT "annotation_labelmap_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "annotation_version" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_annotation_labelmap" ("bytes", "columns", "counts", "rows", "series_id", "sha256", "slices", "version_id") SELECT "bytes", "columns", "counts", "rows", "series_id", "sha256", "slices", "version_id" FROM "annotation_labelmap";
DROP TABLE "annotation_labelmap";
ALTER TABLE "new_annotation_labelmap" RENAME TO "annotation_labelmap";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
