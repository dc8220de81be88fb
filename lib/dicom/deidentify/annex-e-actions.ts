import table from './annex-e-table.json';

/**
 * PS3.15 Table E.1-1 (annex-e-table.json, DICOM 2025b) turned into one rule per attribute for a
 * choice of options. The table is the only list of attributes: nothing here names a tag except the
 * two the dataset pseudonymizes (Patient ID, Patient's Name).
 */

/** Option columns of the table (annex-e-table.json `opt`). */
export type AnnexEOption =
  | 'cleanDesc'
  | 'cleanStructCont'
  | 'rtnLongFullDates'
  | 'rtnLongModifDates'
  | 'rtnUIDs'
  | 'rtnPatChars'
  | 'rtnDevId'
  | 'rtnInstId'
  | 'cleanGraph'
  | 'rtnSafePriv';

export type AnnexERow = {
  /** "(0010,0010)", or a pattern: "(50XX,XXXX)", "(60XX,3000)", "(GGGG,EEEE)" (private). */
  tag: string;
  name: string;
  keyword: string;
  vr: string | null;
  retired: boolean;
  std: boolean;
  /** Basic Profile action: D, Z, X, K, C, U or a combination such as X/Z/D or X/Z/U*. */
  basic: string;
  opt?: Partial<Record<AnnexEOption, string>>;
  /** CT Image IOD modules that use the attribute (PS3.3 A.3). */
  ct?: string[];
  note?: string;
};

export const ANNEX_E_ROWS: readonly AnnexERow[] = (table as { rows: AnnexERow[] }).rows;

/** What happens to one attribute. */
export type AttributeAction =
  /** X: the attribute is removed. */
  | 'remove'
  /** Z: kept with a zero-length value (a sequence without items). */
  | 'empty'
  /** D: a non-identifying dummy value of its VR; a sequence keeps its items with dummies inside. */
  | 'dummy'
  /** U: every UID replaced by its keyed remapping. */
  | 'remap'
  /** K (and U* sequences): kept; a sequence's items are de-identified like the data set. */
  | 'keep'
  /** C of the Clean Descriptors Option: kept without the patient's names, IDs and dates. */
  | 'clean'
  /** C of the Retain Longitudinal Temporal Information with Modified Dates Option: moved by the patient's offset. */
  | 'shift'
  /** Patient ID and Patient's Name: the dataset's pseudonym for the patient. */
  | 'pseudonym';

export type AttributeRule = { action: AttributeAction; vr: string; row: AnnexERow };

export type ActionOptions = { cleanDescriptors: boolean; modifiedDates: boolean };

type BasicLetter = 'X' | 'Z' | 'D' | 'U' | 'K' | 'C';

const DATE_VRS = new Set(['DA', 'DT', 'TM']);
/** VRs the Clean Descriptors Option can clean: text, and sequences whose items hold text. */
const CLEANABLE_VRS = new Set(['LO', 'LT', 'SH', 'ST', 'UC', 'UT', 'CS', 'SQ']);
const PSEUDONYMIZED = new Set(['00100010', '00100020']);

/**
 * The Basic Profile action of a row, combinations resolved deterministically:
 * - `X/Z/U*` (Referenced/Source Image Sequence): U — the sequence is kept and the instance UIDs in
 *   it are remapped (their own rows say U), so references stay valid inside the dataset.
 * - X/Z, X/D, X/Z/D, Z/D: the choice depends on the attribute's Type in the IOD, which the table does
 *   not carry. Where the table lists CT Image IOD modules (`ct`) for the attribute, an image IOD
 *   likely requires it, so the least destructive allowed action is taken: D if allowed (Type 1 safe),
 *   else Z — except that a sequence takes Z (an empty Type 2 sequence is valid; a dummy item carries
 *   nothing). Otherwise the first (most destructive) action: X, or Z for Z/D.
 * - D of a UID is a remapping (a dummy UID that still links the instances of the dataset).
 */
export function basicAction(row: AnnexERow): Exclude<BasicLetter, 'C'> {
  const letters = row.basic.split('/') as (BasicLetter | 'U*')[];
  let letter: BasicLetter;
  if (letters.includes('U*')) letter = 'K';
  else if (letters.length === 1) letter = letters[0] as BasicLetter;
  else if (row.ct?.length) letter = row.vr === 'SQ' && letters.includes('Z') ? 'Z' : (letters.at(-1) as BasicLetter);
  else letter = letters[0] as BasicLetter;
  if (letter === 'D' && row.vr === 'UI') return 'U';
  // No Basic Profile row says C; should one appear, keep-and-clean is never weaker than X here.
  return letter === 'C' ? 'X' : letter;
}

const LETTER_ACTION: Record<Exclude<BasicLetter, 'C'>, AttributeAction> = { X: 'remove', Z: 'empty', D: 'dummy', U: 'remap', K: 'keep' };

/** The rule of one table row under the options. */
export function ruleOfRow(row: AnnexERow, options: ActionOptions): AttributeRule {
  const vr = row.vr ?? 'UN';
  const key = exactKey(row.tag);
  if (key && PSEUDONYMIZED.has(key)) return { action: 'pseudonym', vr, row };
  if (options.modifiedDates && row.opt?.rtnLongModifDates === 'C' && DATE_VRS.has(vr)) return { action: 'shift', vr, row };
  if (options.cleanDescriptors && row.opt?.cleanDesc === 'C' && CLEANABLE_VRS.has(vr)) return { action: 'clean', vr, row };
  return { action: LETTER_ACTION[basicAction(row)], vr, row };
}

export type AnnexEActions = {
  /** Rule of a public attribute ("GGGGEEEE", upper case, as dcmjs keys it), undefined when the table does not list it. */
  ruleFor(tag: string): AttributeRule | undefined;
  /** Exact-tag rules, by "GGGGEEEE". */
  exact: ReadonlyMap<string, AttributeRule>;
};

const cache = new Map<string, AnnexEActions>();

/** The table's rules under the options; built once per option combination. */
export function annexEActions(options: ActionOptions): AnnexEActions {
  const cacheKey = `${options.cleanDescriptors}:${options.modifiedDates}`;
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  const exact = new Map<string, AttributeRule>();
  const patterns: { test: (tag: string) => boolean; rule: AttributeRule }[] = [];
  for (const row of ANNEX_E_ROWS) {
    const key = exactKey(row.tag);
    if (key) exact.set(key, ruleOfRow(row, options));
    else if (!row.tag.startsWith('(GGGG')) patterns.push({ test: patternTest(row.tag), rule: ruleOfRow(row, options) });
  }
  const overlayData = patterns.find((p) => p.rule.row.keyword === 'OverlayData')?.rule;
  const ruleFor = (tag: string): AttributeRule | undefined => {
    const rule = exact.get(tag);
    if (rule) return rule;
    for (const p of patterns) if (p.test(tag)) return p.rule;
    // The table removes Overlay Data and Overlay Comments; an overlay plane without its data is not a
    // valid module (and may describe bits inside Pixel Data), so the rest of its repeating group goes too.
    if (overlayData && overlayData.action === 'remove' && isRepeatingGroup(tag, 0x6000)) return { ...overlayData, vr: 'UN' };
    return undefined;
  };
  const actions = { ruleFor, exact };
  cache.set(cacheKey, actions);
  return actions;
}

/** "(0010,0010)" → "00100010"; null for patterns such as "(60XX,3000)". */
function exactKey(tag: string): string | null {
  const m = /^\(([0-9A-F]{4}),([0-9A-F]{4})\)$/.exec(tag);
  return m ? `${m[1]}${m[2]}` : null;
}

/** A table pattern: "XX" in a repeating group (50xx, 60xx: even, 00–1E), "XXXX" any element. */
function patternTest(tag: string): (tag: string) => boolean {
  const m = /^\(([0-9A-FX]{4}),([0-9A-FX]{4})\)$/.exec(tag);
  if (!m) return () => false;
  const [group, element] = [m[1]!, m[2]!];
  const base = parseInt(group.replaceAll('X', '0'), 16);
  return (candidate) =>
    (group.includes('X') ? isRepeatingGroup(candidate, base) : candidate.startsWith(group)) &&
    (element === 'XXXX' || candidate.slice(4) === element);
}

function isRepeatingGroup(tag: string, base: number): boolean {
  const offset = parseInt(tag.slice(0, 4), 16) - base;
  return offset >= 0 && offset <= 0x1e && offset % 2 === 0;
}
