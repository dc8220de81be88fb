-- CreateTable
CREATE TABLE "burned_in_clearance" (
    "study_id" TEXT NOT NULL,
    "cleared_by_id" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "burned_in_clearance_pkey" PRIMARY KEY ("study_id")
);

-- AddForeignKey
ALTER TABLE "burned_in_clearance" ADD CONSTRAINT "burned_in_clearance_study_id_fkey" FOREIGN KEY ("study_id") REFERENCES "study"("id") ON DELETE CASCADE ON UPDATE CASCADE;
