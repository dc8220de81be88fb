-- AlterTable
ALTER TABLE "annotation_labelmap" DROP CONSTRAINT "annotation_labelmap_pkey",
ADD COLUMN     "layer" INTEGER NOT NULL DEFAULT 0,
ADD CONSTRAINT "annotation_labelmap_pkey" PRIMARY KEY ("version_id", "series_id", "layer");
