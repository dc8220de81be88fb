-- CreateTable
CREATE TABLE "import_job" (
    "id" TEXT NOT NULL,
    "source_url" TEXT NOT NULL,
    "study_uids" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "studies_total" INTEGER NOT NULL,
    "studies_done" INTEGER NOT NULL DEFAULT 0,
    "instances_stored" INTEGER NOT NULL DEFAULT 0,
    "instances_duplicate" INTEGER NOT NULL DEFAULT 0,
    "instances_rejected" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "created_by_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "import_job_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "import_job_created_at_idx" ON "import_job"("created_at");
