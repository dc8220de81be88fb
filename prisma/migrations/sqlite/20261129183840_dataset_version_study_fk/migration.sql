-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_dataset_version_study" (
    "version_id" TEXT NOT NULL,
    "study_id" TEXT NOT NULL,
    "split" TEXT NOT NULL,
    "pseudonym" TEXT NOT NULL,
    "consent_ledger_seq" INTEGER NOT NULL,

    PRIMARY KEY ("version_id", "study_id"),
    CONSTRAINT "dataset_version_study_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "dataset_version" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "dataset_version_study_study_id_fkey" FOREIGN KEY ("study_id") REFERENCES "study" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_dataset_version_study" ("consent_ledger_seq", "pseudonym", "split", "study_id", "version_id") SELECT "consent_ledger_seq", "pseudonym", "split", "study_id", "version_id" FROM "dataset_version_study";
DROP TABLE "dataset_version_study";
ALTER TABLE "new_dataset_version_study" RENAME TO "dataset_version_study";
CREATE INDEX "dataset_version_study_study_id_idx" ON "dataset_version_study"("study_id");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
