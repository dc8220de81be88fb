-- CreateTable
CREATE TABLE "job" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "project_id" TEXT,
    "params" TEXT NOT NULL,
    "result" TEXT,
    "done" INTEGER NOT NULL DEFAULT 0,
    "total" INTEGER NOT NULL DEFAULT 0,
    "message" TEXT NOT NULL DEFAULT '',
    "error" TEXT,
    "cancel_requested" BOOLEAN NOT NULL DEFAULT false,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "created_by_id" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" DATETIME,
    "finished_at" DATETIME,
    "updated_at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ai_proposal" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "project_id" TEXT NOT NULL,
    "study_id" TEXT NOT NULL,
    "series_instance_uid" TEXT NOT NULL,
    "job_id" TEXT NOT NULL,
    "model_name" TEXT NOT NULL,
    "model_version" TEXT NOT NULL,
    "model_sha256" TEXT NOT NULL,
    "manifest_hash" TEXT NOT NULL,
    "parameters" TEXT NOT NULL,
    "schema_version_id" TEXT NOT NULL,
    "columns" INTEGER NOT NULL,
    "rows" INTEGER NOT NULL,
    "slices" INTEGER NOT NULL,
    "labelmap_sha256" TEXT NOT NULL,
    "counts" TEXT NOT NULL,
    "run_ms" INTEGER NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ai_proposal_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "job_status_created_at_idx" ON "job"("status", "created_at");

-- CreateIndex
CREATE INDEX "job_project_id_created_at_idx" ON "job"("project_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "ai_proposal_job_id_key" ON "ai_proposal"("job_id");

-- CreateIndex
CREATE INDEX "ai_proposal_project_id_study_id_idx" ON "ai_proposal"("project_id", "study_id");
