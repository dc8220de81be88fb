-- AlterTable
ALTER TABLE "project" ADD COLUMN     "series_description" TEXT NOT NULL DEFAULT '';
