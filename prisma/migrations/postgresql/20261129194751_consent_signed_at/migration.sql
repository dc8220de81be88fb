-- AlterTable
ALTER TABLE "consent_decision" ADD COLUMN     "signed_at" TIMESTAMP(3);
