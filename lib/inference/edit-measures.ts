import type { AnnotationContent } from '@/lib/annotations/schemas';
import { boxIou, type Box } from './detections';

/** How one class of a proposal compares with the submitted label: counts, Dice-like agreement and IoU. */
export type ClassEdit = { proposal: number; final: number; intersection: number; dice: number | null; iou: number | null };

/** Boxes whose IoU reaches this are the same finding (the usual detection criterion, as in PASCAL VOC). */
export const BOX_MATCH_IOU = 0.5;

const dice = (p: number, f: number, shared: number) => (p + f === 0 ? null : (2 * shared) / (p + f));
const boxOf = (r: AnnotationContent['regions'][number]): Box => {
  const [[x1, y1], [x2, y2]] = r.points as [[number, number], [number, number]];
  return [Math.min(x1, x2), Math.min(y1, y2), Math.max(x1, x2), Math.max(y1, y2)];
};

/**
 * A detection class's boxes, proposed vs submitted: pairs on the same image are matched greedily,
 * best IoU first, when their IoU reaches BOX_MATCH_IOU. `dice` is then the F1 of the proposal
 * (2·matched / (proposed + submitted)), `iou` the mean IoU of the matched pairs (how far they moved).
 */
export function boxEdits(proposed: readonly AnnotationContent['regions'][number][], submitted: readonly AnnotationContent['regions'][number][]): ClassEdit {
  const image = (r: AnnotationContent['regions'][number]) => `${r.sopInstanceUid}/${r.frame}`;
  const pairs: { p: number; f: number; iou: number }[] = [];
  proposed.forEach((p, i) =>
    submitted.forEach((f, j) => {
      if (image(p) !== image(f)) return;
      const iou = boxIou(boxOf(p), boxOf(f));
      if (iou >= BOX_MATCH_IOU) pairs.push({ p: i, f: j, iou });
    }),
  );
  pairs.sort((a, b) => b.iou - a.iou);
  const usedP = new Set<number>();
  const usedF = new Set<number>();
  const matched: number[] = [];
  for (const { p, f, iou } of pairs) {
    if (usedP.has(p) || usedF.has(f)) continue;
    usedP.add(p);
    usedF.add(f);
    matched.push(iou);
  }
  return {
    proposal: proposed.length,
    final: submitted.length,
    intersection: matched.length,
    dice: dice(proposed.length, submitted.length, matched.length),
    iou: matched.length ? matched.reduce((a, b) => a + b, 0) / matched.length : null,
  };
}

/** One choice, proposed or not vs chosen or not: agreement 1 when kept, 0 when changed, null when neither has it. */
export function choiceEdit(proposed: boolean, chosen: boolean): ClassEdit {
  const [p, f] = [Number(proposed), Number(chosen)];
  const shared = p && f;
  return { proposal: p, final: f, intersection: shared, dice: dice(p, f, shared), iou: null };
}
