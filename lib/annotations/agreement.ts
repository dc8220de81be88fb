import { LabelmapRunReader } from '@/lib/annotations/labelmap-rle.client';

/**
 * Inter-reader agreement: Dice and IoU between two readers' segmentations, Cohen's kappa between two
 * readers' categorical answers, Fleiss' kappa between several, and the CSV they are exported as.
 * Undefined statistics are null, never NaN or a made-up 0 or 1: "not applicable" must stay
 * distinguishable from "perfect" and "none". Pure and dependency-free, for the browser and the server.
 */

/** Agreement between two segmentations on one segment class. */
export type SegmentAgreement = {
  /** The class's voxel value. */
  value: number;
  /** Voxels of the class in the first labelmap. */
  a: number;
  /** Voxels of the class in the second labelmap. */
  b: number;
  /** Voxels of the class in both. */
  intersection: number;
  /** 2|A∩B| / (|A| + |B|); null when neither labelmap has the class. */
  dice: number | null;
  /** |A∩B| / |A∪B|; null when neither labelmap has the class. */
  iou: number | null;
};

/**
 * Dice and IoU per class between two rle1 labelmaps of the same `voxelCount`-voxel volume, in the
 * order of `classes`. Walks both run lists side by side without decoding them, so it costs O(runs),
 * not O(voxels); both payloads are validated as decoding would (LabelmapFormatError).
 */
export function segmentationAgreement(a: Uint8Array, b: Uint8Array, voxelCount: number, classes: readonly number[]): SegmentAgreement[] {
  for (const value of classes) {
    if (!Number.isInteger(value) || value < 0 || value > 255) throw new RangeError(`Segment class values are 0 to 255, not ${value}.`);
  }
  const ra = new LabelmapRunReader(a, voxelCount);
  const rb = new LabelmapRunReader(b, voxelCount);
  const countA = new Float64Array(256);
  const countB = new Float64Array(256);
  const both = new Float64Array(256);
  // Each step takes the overlap of the two current runs, then advances whichever run(s) it ended.
  // The readers throw unless their runs end exactly at voxelCount, so neither runs out early.
  let position = 0;
  let moreA = ra.next();
  let moreB = rb.next();
  while (moreA && moreB) {
    const end = Math.min(ra.end, rb.end);
    const length = end - position;
    countA[ra.value]! += length;
    countB[rb.value]! += length;
    if (ra.value === rb.value) both[ra.value]! += length;
    position = end;
    if (ra.end === end) moreA = ra.next();
    if (rb.end === end) moreB = rb.next();
  }
  return classes.map((value) => {
    const inA = countA[value]!;
    const inB = countB[value]!;
    const intersection = both[value]!;
    const total = inA + inB;
    return {
      value,
      a: inA,
      b: inB,
      intersection,
      dice: total === 0 ? null : (2 * intersection) / total,
      iou: total === 0 ? null : intersection / (total - intersection),
    };
  });
}

/**
 * Cohen's kappa between two raters' answers to the same items, (po − pe) / (1 − pe). Null when it
 * is undefined: no items, or pe = 1 (both raters gave one and the same category to every item).
 * That case is perfect agreement, but kappa measures agreement beyond chance and chance explains it
 * all; reporting 1 would overstate it, so it is left to the reader, as is standard. Throws when the
 * raters answered different numbers of items.
 */
export function cohensKappa(a: readonly string[], b: readonly string[]): number | null {
  if (a.length !== b.length) throw new RangeError(`Cohen's kappa needs the same items from both raters: ${a.length} and ${b.length} answers.`);
  const n = a.length;
  if (n === 0) return null;
  const countsA = new Map<string, number>();
  const countsB = new Map<string, number>();
  let agreed = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) agreed++;
    countsA.set(x, (countsA.get(x) ?? 0) + 1);
    countsB.set(y, (countsB.get(y) ?? 0) + 1);
  }
  // In whole numbers, po = agreed / n and pe = chance / n², so the test for pe = 1 is exact.
  let chance = 0;
  for (const [category, count] of countsA) chance += count * (countsB.get(category) ?? 0);
  if (chance === n * n) return null;
  return (n * agreed - chance) / (n * n - chance);
}

/**
 * Fleiss' kappa (Fleiss 1971): `ratings[i]` holds the categories the raters gave item i (raters need
 * not be the same people from item to item). Items may have different numbers of ratings, at least 2
 * each (it throws otherwise), as when a third reader has not finished every study: each item's
 * agreement P_i is over its own n_i (n_i − 1) pairs and category shares over all ratings, which is
 * Fleiss' formula when every n_i is the same. Null when undefined: no items, or P̄e = 1 (one
 * category throughout).
 */
export function fleissKappa(ratings: readonly (readonly string[])[]): number | null {
  if (ratings.length === 0) return null;
  const totals = new Map<string, number>();
  let assignments = 0;
  let observed = 0;
  ratings.forEach((item, i) => {
    const n = item.length;
    if (n < 2) throw new RangeError(`Fleiss' kappa needs at least 2 ratings per item: item ${i} has ${n}.`);
    const perCategory = new Map<string, number>();
    for (const category of item) perCategory.set(category, (perCategory.get(category) ?? 0) + 1);
    let pairs = 0;
    for (const [category, count] of perCategory) {
      pairs += count * (count - 1);
      totals.set(category, (totals.get(category) ?? 0) + count);
    }
    observed += pairs / (n * (n - 1));
    assignments += n;
  });
  // One category throughout is the only way P̄e = Σ pj² reaches 1; testing it directly avoids rounding.
  if (totals.size === 1) return null;
  observed /= ratings.length;
  let expected = 0;
  for (const count of totals.values()) expected += (count / assignments) ** 2;
  return (observed - expected) / (1 - expected);
}

// Cells a spreadsheet would read as a formula (or, for tab and carriage return, that can hide one):
// OWASP's list for CSV injection.
const FORMULA_START = /^[=+\-@\t\r]/;

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`Cannot write ${value} to CSV: agreement values are finite numbers or null.`);
  if (Number.isInteger(value)) return String(value);
  // At most six decimals, trailing zeros dropped: 0.857143, 0.5, and never an exponent below 1e21.
  const fixed = value.toFixed(6).replace(/\.?0+$/, '');
  return fixed === '-0' ? '0' : fixed;
}

function formatCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return formatNumber(value);
  // A leading quote makes a spreadsheet show the text instead of evaluating it.
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * RFC 4180 CSV of `rows` under a header of `columns` (in that order, CRLF line ends): fields with a
 * comma, quote or line break are quoted, null (or a missing column) is empty, and non-integers have
 * at most six decimals. Text that starts with =, +, -, @, tab or carriage return is prefixed with
 * ' so that opening the export in a spreadsheet cannot run a formula from a label or a reader's name.
 */
export function agreementToCsv(rows: readonly Record<string, string | number | null>[], columns: readonly string[]): string {
  const line = (cells: readonly (string | number | null | undefined)[]) => `${cells.map(formatCell).join(',')}\r\n`;
  return line(columns) + rows.map((row) => line(columns.map((column) => row[column]))).join('');
}
