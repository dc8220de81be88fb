-- CreateTable
CREATE TABLE "ai_proposal_edit" (
    "id" TEXT NOT NULL,
    "proposal_id" TEXT NOT NULL,
    "annotation_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "model_name" TEXT NOT NULL,
    "model_sha256" TEXT NOT NULL,
    "class_name" TEXT NOT NULL,
    "segment_value" INTEGER NOT NULL,
    "proposal_voxels" INTEGER NOT NULL,
    "final_voxels" INTEGER NOT NULL,
    "intersection" INTEGER NOT NULL,
    "dice" DOUBLE PRECISION,
    "iou" DOUBLE PRECISION,
    "seconds_spent" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ai_proposal_edit_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ai_proposal_edit_model_name_created_at_idx" ON "ai_proposal_edit"("model_name", "created_at");

-- AddForeignKey
ALTER TABLE "ai_proposal_edit" ADD CONSTRAINT "ai_proposal_edit_proposal_id_fkey" FOREIGN KEY ("proposal_id") REFERENCES "ai_proposal"("id") ON DELETE CASCADE ON UPDATE CASCADE;
