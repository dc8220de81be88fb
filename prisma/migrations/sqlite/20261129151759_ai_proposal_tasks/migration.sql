-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ai_proposal" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "project_id" TEXT NOT NULL,
    "study_id" TEXT NOT NULL,
    "series_instance_uid" TEXT NOT NULL,
    "job_id" TEXT NOT NULL,
    "task" TEXT NOT NULL DEFAULT 'segmentation',
    "model_name" TEXT NOT NULL,
    "model_version" TEXT NOT NULL,
    "model_sha256" TEXT NOT NULL,
    "manifest_hash" TEXT NOT NULL,
    "parameters" TEXT NOT NULL,
    "schema_version_id" TEXT NOT NULL,
    "columns" INTEGER NOT NULL,
    "rows" INTEGER NOT NULL,
    "slices" INTEGER NOT NULL,
    "output_sha256" TEXT NOT NULL,
    "counts" TEXT NOT NULL,
    "run_ms" INTEGER NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ai_proposal_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
-- Every proposal so far is a segmentation: its labelmap is its output.
INSERT INTO "new_ai_proposal" ("columns", "counts", "created_at", "id", "job_id", "manifest_hash", "model_name", "model_sha256", "model_version", "parameters", "project_id", "rows", "run_ms", "schema_version_id", "series_instance_uid", "slices", "study_id", "output_sha256") SELECT "columns", "counts", "created_at", "id", "job_id", "manifest_hash", "model_name", "model_sha256", "model_version", "parameters", "project_id", "rows", "run_ms", "schema_version_id", "series_instance_uid", "slices", "study_id", "labelmap_sha256" FROM "ai_proposal";
DROP TABLE "ai_proposal";
ALTER TABLE "new_ai_proposal" RENAME TO "ai_proposal";
CREATE UNIQUE INDEX "ai_proposal_job_id_key" ON "ai_proposal"("job_id");
CREATE INDEX "ai_proposal_project_id_study_id_idx" ON "ai_proposal"("project_id", "study_id");
CREATE TABLE "new_ai_proposal_edit" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "proposal_id" TEXT NOT NULL,
    "annotation_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "model_name" TEXT NOT NULL,
    "model_sha256" TEXT NOT NULL,
    "unit" TEXT NOT NULL DEFAULT 'voxels',
    "class_name" TEXT NOT NULL,
    "schema_class" TEXT NOT NULL,
    "proposal_count" INTEGER NOT NULL,
    "final_count" INTEGER NOT NULL,
    "intersection" INTEGER NOT NULL,
    "dice" REAL,
    "iou" REAL,
    "seconds_spent" INTEGER NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ai_proposal_edit_proposal_id_fkey" FOREIGN KEY ("proposal_id") REFERENCES "ai_proposal" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
-- Every edit so far counted voxels of a segment value.
INSERT INTO "new_ai_proposal_edit" ("annotation_id", "class_name", "created_at", "dice", "id", "intersection", "iou", "model_name", "model_sha256", "proposal_id", "seconds_spent", "version", "schema_class", "proposal_count", "final_count") SELECT "annotation_id", "class_name", "created_at", "dice", "id", "intersection", "iou", "model_name", "model_sha256", "proposal_id", "seconds_spent", "version", CAST("segment_value" AS TEXT), "proposal_voxels", "final_voxels" FROM "ai_proposal_edit";
DROP TABLE "ai_proposal_edit";
ALTER TABLE "new_ai_proposal_edit" RENAME TO "ai_proposal_edit";
CREATE INDEX "ai_proposal_edit_model_name_created_at_idx" ON "ai_proposal_edit"("model_name", "created_at");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
