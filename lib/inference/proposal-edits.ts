import { agreementToCsv, segmentationAgreement } from '@/lib/annotations/agreement';
import { emptyLabelmapRle } from '@/lib/annotations/labelmap-rle.client';
import { getDb, type Tx } from '@/lib/db/client';
import { getBlobStore } from '@/lib/storage/get-blob-store';

type SubmittedLabelmap = { seriesInstanceUid: string; columns: number; rows: number; slices: number; rle: Uint8Array };

/**
 * On submit, inside the save's transaction: for each proposal the label started from, Dice and IoU
 * per model class between the proposal and the submitted labelmap of that series, and the time from
 * the reader opening the study to submitting it. A series the reader emptied counts as all removed.
 */
export async function recordProposalEdits(
  tx: Tx,
  { annotationId, version, openedAt, cited, labelmaps }: { annotationId: string; version: number; openedAt: Date; cited: readonly { seriesInstanceUid: string; proposalId: string }[]; labelmaps: readonly SubmittedLabelmap[] },
): Promise<number> {
  let recorded = 0;
  const secondsSpent = Math.max(0, Math.round((Date.now() - openedAt.getTime()) / 1000));
  for (const { seriesInstanceUid, proposalId } of cited) {
    const proposal = await tx.aiProposal.findUniqueOrThrow({ where: { id: proposalId } });
    const voxels = proposal.columns * proposal.rows * proposal.slices;
    const submitted = labelmaps.find((l) => l.seriesInstanceUid === seriesInstanceUid);
    // A labelmap of another size than the proposal's cannot be compared voxel for voxel.
    if (submitted && submitted.columns * submitted.rows * submitted.slices !== voxels) continue;
    const classes = (JSON.parse(proposal.parameters) as { classes?: { model: string; segment: number }[] }).classes ?? [];
    const stats = segmentationAgreement(
      await getBlobStore().read(proposal.labelmapSha256),
      submitted?.rle ?? emptyLabelmapRle(voxels),
      voxels,
      classes.map((c) => c.segment),
    );
    await tx.aiProposalEdit.createMany({
      data: stats.map((s, i) => ({
        proposalId,
        annotationId,
        version,
        modelName: proposal.modelName,
        modelSha256: proposal.modelSha256,
        className: classes[i]!.model,
        segmentValue: s.value,
        proposalVoxels: s.a,
        finalVoxels: s.b,
        intersection: s.intersection,
        dice: s.dice,
        iou: s.iou,
        secondsSpent,
      })),
    });
    recorded += stats.length;
  }
  return recorded;
}

export type ClassEditStats = {
  className: string;
  /** Submitted labels measured. */
  labels: number;
  meanDice: number | null;
  medianDice: number | null;
  /** Labels per tenth of Dice: [0, 0.1), …, [0.9, 1.0]. */
  histogram: number[];
  /** Dice of each label, oldest first: the trend. */
  trend: { at: string; dice: number }[];
  meanSecondsSpent: number | null;
};

/** How much readers changed a model's proposals, per class, for its page. */
export async function modelEditStats(modelName: string): Promise<ClassEditStats[]> {
  const rows = await getDb().aiProposalEdit.findMany({ where: { modelName }, orderBy: { createdAt: 'asc' } });
  const byClass = new Map<string, typeof rows>();
  for (const row of rows) byClass.set(row.className, [...(byClass.get(row.className) ?? []), row]);
  return [...byClass.entries()].map(([className, edits]) => {
    const dices = edits.map((e) => e.dice).filter((d): d is number => d !== null);
    const sorted = [...dices].sort((a, b) => a - b);
    const histogram = Array.from({ length: 10 }, () => 0);
    for (const d of dices) histogram[Math.min(9, Math.floor(d * 10))]!++;
    return {
      className,
      labels: edits.length,
      meanDice: dices.length ? dices.reduce((a, b) => a + b, 0) / dices.length : null,
      medianDice: sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)]! : null,
      histogram,
      trend: edits.filter((e) => e.dice !== null).map((e) => ({ at: e.createdAt.toISOString(), dice: e.dice! })),
      meanSecondsSpent: edits.length ? edits.reduce((a, e) => a + e.secondsSpent, 0) / edits.length : null,
    };
  });
}

const CSV_COLUMNS = ['created_at', 'model', 'model_sha256', 'proposal', 'annotation', 'version', 'class', 'segment_value', 'proposal_voxels', 'final_voxels', 'intersection', 'dice', 'iou', 'seconds_spent'];

/** Every measured edit of a model's proposals as CSV, one row per label and class. */
export async function modelEditsCsv(modelName: string): Promise<string> {
  const rows = await getDb().aiProposalEdit.findMany({ where: { modelName }, orderBy: { createdAt: 'asc' } });
  return agreementToCsv(
    rows.map((r) => ({
      created_at: r.createdAt.toISOString(),
      model: r.modelName,
      model_sha256: r.modelSha256,
      proposal: r.proposalId,
      annotation: r.annotationId,
      version: r.version,
      class: r.className,
      segment_value: r.segmentValue,
      proposal_voxels: r.proposalVoxels,
      final_voxels: r.finalVoxels,
      intersection: r.intersection,
      dice: r.dice,
      iou: r.iou,
      seconds_spent: r.secondsSpent,
    })),
    CSV_COLUMNS,
  );
}
