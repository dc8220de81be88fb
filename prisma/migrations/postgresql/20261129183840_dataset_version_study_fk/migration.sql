-- AddForeignKey
ALTER TABLE "dataset_version_study" ADD CONSTRAINT "dataset_version_study_study_id_fkey" FOREIGN KEY ("study_id") REFERENCES "study"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
