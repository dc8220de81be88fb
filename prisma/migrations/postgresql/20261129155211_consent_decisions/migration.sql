-- CreateTable
CREATE TABLE "consent_decision" (
    "id" TEXT NOT NULL,
    "patient_id" TEXT NOT NULL,
    "study_id" TEXT,
    "purpose" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "valid_until" TIMESTAMP(3),
    "decided_by_id" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "evidence_sha256" TEXT,
    "policy_version" TEXT NOT NULL,
    "ledger_seq" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "consent_decision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "consent_decision_ledger_seq_key" ON "consent_decision"("ledger_seq");

-- CreateIndex
CREATE INDEX "consent_decision_patient_id_purpose_idx" ON "consent_decision"("patient_id", "purpose");

-- AddForeignKey
ALTER TABLE "consent_decision" ADD CONSTRAINT "consent_decision_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patient"("id") ON DELETE CASCADE ON UPDATE CASCADE;
