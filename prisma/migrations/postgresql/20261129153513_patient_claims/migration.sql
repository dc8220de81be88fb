-- CreateTable
CREATE TABLE "claim_code" (
    "id" TEXT NOT NULL,
    "patient_id" TEXT NOT NULL,
    "code_hash" TEXT NOT NULL,
    "issued_by_id" TEXT NOT NULL,
    "issued_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "claimed_at" TIMESTAMP(3),
    "claimed_by_id" TEXT,
    "revoked_at" TIMESTAMP(3),
    "revoked_by_id" TEXT,

    CONSTRAINT "claim_code_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "patient_link" (
    "patient_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "code_id" TEXT,
    "linked_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "patient_link_pkey" PRIMARY KEY ("patient_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "claim_code_code_hash_key" ON "claim_code"("code_hash");

-- CreateIndex
CREATE INDEX "claim_code_patient_id_idx" ON "claim_code"("patient_id");

-- CreateIndex
CREATE INDEX "patient_link_user_id_idx" ON "patient_link"("user_id");

-- AddForeignKey
ALTER TABLE "claim_code" ADD CONSTRAINT "claim_code_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patient"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "patient_link" ADD CONSTRAINT "patient_link_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patient"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "patient_link" ADD CONSTRAINT "patient_link_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;
