-- Every proposal so far is a segmentation: its labelmap is its output.
ALTER TABLE "ai_proposal" RENAME COLUMN "labelmap_sha256" TO "output_sha256";
ALTER TABLE "ai_proposal" ADD COLUMN "task" TEXT NOT NULL DEFAULT 'segmentation';

-- Every edit so far counted voxels of a segment value.
ALTER TABLE "ai_proposal_edit" RENAME COLUMN "proposal_voxels" TO "proposal_count";
ALTER TABLE "ai_proposal_edit" RENAME COLUMN "final_voxels" TO "final_count";
ALTER TABLE "ai_proposal_edit" ADD COLUMN "schema_class" TEXT;
UPDATE "ai_proposal_edit" SET "schema_class" = "segment_value"::TEXT;
ALTER TABLE "ai_proposal_edit" ALTER COLUMN "schema_class" SET NOT NULL;
ALTER TABLE "ai_proposal_edit" DROP COLUMN "segment_value";
ALTER TABLE "ai_proposal_edit" ADD COLUMN "unit" TEXT NOT NULL DEFAULT 'voxels';
