-- CreateTable
CREATE TABLE "project_comment" (
    "id" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "study_id" TEXT NOT NULL,
    "author_id" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "project_comment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "project_comment_project_id_study_id_created_at_idx" ON "project_comment"("project_id", "study_id", "created_at");

-- AddForeignKey
ALTER TABLE "project_comment" ADD CONSTRAINT "project_comment_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;
