-- CreateTable
CREATE TABLE "dataset" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "purpose" TEXT NOT NULL,
    "label_status" TEXT NOT NULL DEFAULT 'accepted',
    "filters" TEXT NOT NULL DEFAULT '{}',
    "split" TEXT NOT NULL,
    "license" TEXT NOT NULL,
    "created_by_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "dataset_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dataset_project" (
    "dataset_id" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,

    CONSTRAINT "dataset_project_pkey" PRIMARY KEY ("dataset_id","project_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "dataset_name_key" ON "dataset"("name");

-- CreateIndex
CREATE INDEX "dataset_project_project_id_idx" ON "dataset_project"("project_id");

-- AddForeignKey
ALTER TABLE "dataset_project" ADD CONSTRAINT "dataset_project_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dataset_project" ADD CONSTRAINT "dataset_project_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
