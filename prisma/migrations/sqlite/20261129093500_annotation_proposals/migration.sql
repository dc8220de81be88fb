-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_annotation_version" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "annotation_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "schema_version_id" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "content_hash" TEXT NOT NULL,
    "changes" TEXT NOT NULL DEFAULT '{}',
    "proposals" TEXT NOT NULL DEFAULT '[]',
    "reason" TEXT NOT NULL DEFAULT 'save',
    "author_id" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "annotation_version_annotation_id_fkey" FOREIGN KEY ("annotation_id") REFERENCES "annotation" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "annotation_version_schema_version_id_fkey" FOREIGN KEY ("schema_version_id") REFERENCES "label_schema_version" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_annotation_version" ("annotation_id", "author_id", "changes", "content", "content_hash", "created_at", "id", "reason", "schema_version_id", "version") SELECT "annotation_id", "author_id", "changes", "content", "content_hash", "created_at", "id", "reason", "schema_version_id", "version" FROM "annotation_version";
DROP TABLE "annotation_version";
ALTER TABLE "new_annotation_version" RENAME TO "annotation_version";
CREATE UNIQUE INDEX "annotation_version_annotation_id_version_key" ON "annotation_version"("annotation_id", "version");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
