-- AlterTable
ALTER TABLE "project" ADD COLUMN     "consent_purpose" TEXT;

-- CreateTable
CREATE TABLE "consent_request" (
    "id" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "study_id" TEXT NOT NULL,
    "patient_id" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "requested_by_id" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "decision_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "answered_at" TIMESTAMP(3),

    CONSTRAINT "consent_request_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "consent_request_patient_id_status_idx" ON "consent_request"("patient_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "consent_request_project_id_study_id_purpose_key" ON "consent_request"("project_id", "study_id", "purpose");

-- AddForeignKey
ALTER TABLE "consent_request" ADD CONSTRAINT "consent_request_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "consent_request" ADD CONSTRAINT "consent_request_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patient"("id") ON DELETE CASCADE ON UPDATE CASCADE;
