-- CreateTable
CREATE TABLE "project_series_choice" (
    "project_id" TEXT NOT NULL,
    "study_id" TEXT NOT NULL,
    "series_id" TEXT NOT NULL,
    "to_label" BOOLEAN NOT NULL,
    "chosen_by_id" TEXT NOT NULL,
    "chosen_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "project_series_choice_pkey" PRIMARY KEY ("project_id","series_id")
);

-- CreateIndex
CREATE INDEX "project_series_choice_project_id_study_id_idx" ON "project_series_choice"("project_id", "study_id");

-- CreateIndex
CREATE INDEX "project_series_choice_series_id_idx" ON "project_series_choice"("series_id");

-- AddForeignKey
ALTER TABLE "project_series_choice" ADD CONSTRAINT "project_series_choice_project_id_study_id_fkey" FOREIGN KEY ("project_id", "study_id") REFERENCES "project_study"("project_id", "study_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "project_series_choice" ADD CONSTRAINT "project_series_choice_series_id_fkey" FOREIGN KEY ("series_id") REFERENCES "series"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
