-- CreateTable
CREATE TABLE "project" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "purpose" TEXT NOT NULL DEFAULT '',
    "modalities" TEXT NOT NULL DEFAULT '',
    "readers_per_study" INTEGER NOT NULL DEFAULT 1,
    "model_name" TEXT,
    "created_by_id" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME
);

-- CreateTable
CREATE TABLE "label_schema_version" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "project_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "schema" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "created_by_id" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "label_schema_version_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "project_member" (
    "project_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "added_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("project_id", "user_id", "role"),
    CONSTRAINT "project_member_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "project_member_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "project_study" (
    "project_id" TEXT NOT NULL,
    "study_id" TEXT NOT NULL,
    "added_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("project_id", "study_id"),
    CONSTRAINT "project_study_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "project_study_study_id_fkey" FOREIGN KEY ("study_id") REFERENCES "study" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "annotation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "project_id" TEXT NOT NULL,
    "study_id" TEXT NOT NULL,
    "reader_id" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'in_progress',
    "version" INTEGER NOT NULL DEFAULT 0,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    "submitted_at" DATETIME,
    CONSTRAINT "annotation_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "annotation_study_id_fkey" FOREIGN KEY ("study_id") REFERENCES "study" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "annotation_version" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "annotation_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "schema_version_id" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "content_hash" TEXT NOT NULL,
    "changes" TEXT NOT NULL DEFAULT '{}',
    "reason" TEXT NOT NULL DEFAULT 'save',
    "author_id" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "annotation_version_annotation_id_fkey" FOREIGN KEY ("annotation_id") REFERENCES "annotation" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "annotation_version_schema_version_id_fkey" FOREIGN KEY ("schema_version_id") REFERENCES "label_schema_version" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "annotation_labelmap" (
    "version_id" TEXT NOT NULL,
    "series_id" TEXT NOT NULL,
    "columns" INTEGER NOT NULL,
    "rows" INTEGER NOT NULL,
    "slices" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "bytes" INTEGER NOT NULL,
    "counts" TEXT NOT NULL,

    PRIMARY KEY ("version_id", "series_id"),
    CONSTRAINT "annotation_labelmap_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "annotation_version" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "annotation_draft" (
    "annotation_id" TEXT NOT NULL PRIMARY KEY,
    "base_version" INTEGER NOT NULL,
    "schema_version_id" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "saved_at" DATETIME NOT NULL,
    CONSTRAINT "annotation_draft_annotation_id_fkey" FOREIGN KEY ("annotation_id") REFERENCES "annotation" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "project_name_key" ON "project"("name");

-- CreateIndex
CREATE UNIQUE INDEX "label_schema_version_project_id_version_key" ON "label_schema_version"("project_id", "version");

-- CreateIndex
CREATE INDEX "project_member_user_id_idx" ON "project_member"("user_id");

-- CreateIndex
CREATE INDEX "project_study_study_id_idx" ON "project_study"("study_id");

-- CreateIndex
CREATE INDEX "annotation_reader_id_status_idx" ON "annotation"("reader_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "annotation_project_id_study_id_reader_id_key" ON "annotation"("project_id", "study_id", "reader_id");

-- CreateIndex
CREATE UNIQUE INDEX "annotation_version_annotation_id_version_key" ON "annotation_version"("annotation_id", "version");
