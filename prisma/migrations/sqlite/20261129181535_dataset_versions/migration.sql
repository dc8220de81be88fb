-- CreateTable
CREATE TABLE "dataset_version" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "dataset_id" TEXT NOT NULL,
    "version" INTEGER,
    "status" TEXT NOT NULL DEFAULT 'publishing',
    "job_id" TEXT,
    "definition" TEXT NOT NULL,
    "encrypted" BOOLEAN NOT NULL,
    "sealed_key" TEXT,
    "root_cid" TEXT,
    "manifest_sha256" TEXT,
    "ledger_seq" INTEGER,
    "checkpoint_size" INTEGER,
    "study_count" INTEGER NOT NULL DEFAULT 0,
    "file_count" INTEGER NOT NULL DEFAULT 0,
    "bytes" BIGINT NOT NULL DEFAULT 0,
    "summary" TEXT NOT NULL DEFAULT '{}',
    "error" TEXT,
    "created_by_id" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" DATETIME,
    CONSTRAINT "dataset_version_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "dataset" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "dataset_version_study" (
    "version_id" TEXT NOT NULL,
    "study_id" TEXT NOT NULL,
    "split" TEXT NOT NULL,
    "pseudonym" TEXT NOT NULL,
    "consent_ledger_seq" INTEGER NOT NULL,

    PRIMARY KEY ("version_id", "study_id"),
    CONSTRAINT "dataset_version_study_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "dataset_version" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "dataset_version_ledger_seq_key" ON "dataset_version"("ledger_seq");

-- CreateIndex
CREATE INDEX "dataset_version_dataset_id_created_at_idx" ON "dataset_version"("dataset_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "dataset_version_dataset_id_version_key" ON "dataset_version"("dataset_id", "version");

-- CreateIndex
CREATE INDEX "dataset_version_study_study_id_idx" ON "dataset_version_study"("study_id");
