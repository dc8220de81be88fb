-- AlterTable
ALTER TABLE "annotation_version" ADD COLUMN     "proposals" TEXT NOT NULL DEFAULT '[]';
