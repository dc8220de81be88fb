-- AlterTable
ALTER TABLE "user" ADD COLUMN     "credit_name" TEXT;
