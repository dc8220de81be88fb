-- CreateTable
CREATE TABLE "claim_code" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "patient_id" TEXT NOT NULL,
    "code_hash" TEXT NOT NULL,
    "issued_by_id" TEXT NOT NULL,
    "issued_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" DATETIME NOT NULL,
    "claimed_at" DATETIME,
    "claimed_by_id" TEXT,
    "revoked_at" DATETIME,
    "revoked_by_id" TEXT,
    CONSTRAINT "claim_code_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patient" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "patient_link" (
    "patient_id" TEXT NOT NULL PRIMARY KEY,
    "user_id" TEXT NOT NULL,
    "code_id" TEXT,
    "linked_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "patient_link_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patient" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "patient_link_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "claim_code_code_hash_key" ON "claim_code"("code_hash");

-- CreateIndex
CREATE INDEX "claim_code_patient_id_idx" ON "claim_code"("patient_id");

-- CreateIndex
CREATE INDEX "patient_link_user_id_idx" ON "patient_link"("user_id");
