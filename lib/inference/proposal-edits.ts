import { agreementToCsv, segmentationAgreement } from '@/lib/annotations/agreement';
import { layerOf } from '@/lib/annotations/labelmap-layers.client';
import { emptyLabelmapRle } from '@/lib/annotations/labelmap-rle.client';
import type { AnnotationContent } from '@/lib/annotations/schemas';
import { getDb, type Tx } from '@/lib/db/client';
import { getBlobStore } from '@/lib/storage/get-blob-store';
import { boxEdits, choiceEdit, type ClassEdit } from './edit-measures';
import { decodeProposalContent } from './proposal-content';

type SubmittedLabelmap = { seriesInstanceUid: string; layer: number; columns: number; rows: number; slices: number; rle: Uint8Array; counts: Record<string, number> };
type Proposal = Awaited<ReturnType<Tx['aiProposal']['findUniqueOrThrow']>>;
type Submitted = { content: AnnotationContent; labelmaps: readonly SubmittedLabelmap[] };
/** One class's comparison: the model's class, the schema class it was written as, what was counted. */
type MeasuredClass = ClassEdit & { className: string; schemaClass: string; unit: 'voxels' | 'boxes' | 'answers' };

/**
 * On submit, inside the save's transaction: for each proposal the label started from, how much the
 * reader changed it, per model class (voxels: Dice and IoU of the labelmaps; boxes: matched boxes;
 * answers: the choice kept or changed), and the time from the reader opening the study to submitting.
 * A series the reader emptied counts as all removed.
 */
export async function recordProposalEdits(
  tx: Tx,
  { annotationId, version, openedAt, cited, content, labelmaps }: { annotationId: string; version: number; openedAt: Date; cited: readonly { seriesInstanceUid: string; proposalId: string }[] } & Submitted,
): Promise<number> {
  let recorded = 0;
  const secondsSpent = Math.max(0, Math.round((Date.now() - openedAt.getTime()) / 1000));
  for (const { proposalId } of cited) {
    const proposal = await tx.aiProposal.findUniqueOrThrow({ where: { id: proposalId } });
    const measured = await measure(proposal, { content, labelmaps });
    await tx.aiProposalEdit.createMany({
      data: measured.map((m) => ({
        proposalId,
        annotationId,
        version,
        modelName: proposal.modelName,
        modelSha256: proposal.modelSha256,
        unit: m.unit,
        className: m.className,
        schemaClass: m.schemaClass,
        proposalCount: m.proposal,
        finalCount: m.final,
        intersection: m.intersection,
        dice: m.dice,
        iou: m.iou,
        secondsSpent,
      })),
    });
    recorded += measured.length;
  }
  return recorded;
}

async function measure(proposal: Proposal, submitted: Submitted): Promise<MeasuredClass[]> {
  const output = await getBlobStore().read(proposal.outputSha256);
  const series = proposal.seriesInstanceUid;
  if (proposal.task === 'segmentation') {
    const voxels = proposal.columns * proposal.rows * proposal.slices;
    const layers = submitted.labelmaps.filter((l) => l.seriesInstanceUid === series);
    // A labelmap of another size than the proposal's cannot be compared voxel for voxel.
    if (layers[0] && layers[0].columns * layers[0].rows * layers[0].slices !== voxels) return [];
    const classes = (JSON.parse(proposal.parameters) as { classes?: { model: string; segment: number }[] }).classes ?? [];
    // Each class against the reader's layer holding it (a class they made overlap others moved off layer 0).
    return classes.map((c) => {
      const [s] = segmentationAgreement(output, layerOf(layers, c.segment)?.rle ?? emptyLabelmapRle(voxels), voxels, [c.segment]);
      return { unit: 'voxels', className: c.model, schemaClass: String(s!.value), proposal: s!.a, final: s!.b, intersection: s!.intersection, dice: s!.dice, iou: s!.iou };
    });
  }
  const proposed = decodeProposalContent(output);
  if (proposal.task === 'detection') {
    const classes = (JSON.parse(proposal.parameters) as { classes?: { model: string; region: string }[] }).classes ?? [];
    const boxes = (regions: AnnotationContent['regions'], classId: string) => regions.filter((r) => r.shape === 'box' && r.classId === classId && r.seriesInstanceUid === series);
    return classes.map((c) => ({ unit: 'boxes', className: c.model, schemaClass: c.region, ...boxEdits(boxes(proposed.regions, c.region), boxes(submitted.content.regions, c.region)) }));
  }
  // Classification: the proposed answer's question, as the reader left it.
  const [answer] = proposed.answers;
  const final = answer && submitted.content.answers.find((a) => a.questionId === answer.questionId && a.seriesInstanceUid === answer.seriesInstanceUid);
  return proposed.scores
    .filter((s) => s.choiceId !== null)
    .map((s) => ({ unit: 'answers', className: s.class, schemaClass: s.choiceId!, ...choiceEdit(Boolean(answer?.choiceIds.includes(s.choiceId!)), Boolean(final?.choiceIds.includes(s.choiceId!))) }));
}

export type ClassEditStats = {
  className: string;
  /** What was compared (voxels, boxes, answers): `dice` is Dice, F1 of boxes, or agreement of answers. */
  unit: string;
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
      unit: edits[0]!.unit,
      labels: edits.length,
      meanDice: dices.length ? dices.reduce((a, b) => a + b, 0) / dices.length : null,
      medianDice: sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)]! : null,
      histogram,
      trend: edits.filter((e) => e.dice !== null).map((e) => ({ at: e.createdAt.toISOString(), dice: e.dice! })),
      meanSecondsSpent: edits.length ? edits.reduce((a, e) => a + e.secondsSpent, 0) / edits.length : null,
    };
  });
}

const CSV_COLUMNS = ['created_at', 'model', 'model_sha256', 'proposal', 'annotation', 'version', 'unit', 'class', 'schema_class', 'proposal_count', 'final_count', 'intersection', 'dice', 'iou', 'seconds_spent'];

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
      unit: r.unit,
      class: r.className,
      schema_class: r.schemaClass,
      proposal_count: r.proposalCount,
      final_count: r.finalCount,
      intersection: r.intersection,
      dice: r.dice,
      iou: r.iou,
      seconds_spent: r.secondsSpent,
    })),
    CSV_COLUMNS,
  );
}
