import { deflateRawSync } from 'node:zlib';
import { EXPLICIT_VR_LITTLE_ENDIAN } from '@/lib/dicom/transfer-syntaxes';
import { IMPLEMENTATION_CLASS_UID } from '@/lib/dicom/write-part10';
import { AppError } from '@/lib/errors/app-error';
import { annexEActions, type AnnexEActions, type AttributeRule } from './annex-e-actions';
import { burnedInAnnotationRisk, type BurnedInRisk } from './burned-in-risk';
import { descriptorCleaner } from './clean-descriptor';
import { type DcmjsDataset, type DcmjsElement, readDataset } from './dcmjs-dataset';
import { encodeDataset, part10Prefix } from './encode-dataset';
import { dummyValue } from './dummy-value';
import { filterPrivateTags, type PrivateWhitelist, privateWhitelist } from './filter-private-tags';
import { remapUid } from './remap-uid';
import { type DeidentifyOptions, ZDeidentifyOptions } from './schemas';
import { shiftDate } from './shift-date';
import { splitPart10 } from './split-part10';

export type DeidentificationReport = {
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopInstanceUid: string;
  sopClassUid: string;
  frameOfReferenceUid: string | null;
  /** The Patient ID and Patient's Name written. */
  patientPseudonym: string;
  /** Unchanged from the input. */
  transferSyntaxUid: string;
  /** Private data elements (creators included) removed, at every level. */
  removedPrivateTags: number;
  /** Private data elements kept by the whitelist (creators not counted). */
  keptPrivateTags: number;
  /** Days dates were moved by (modified-dates), else null. */
  dateShiftDays: number | null;
  flags: {
    /** Whether the pixels may show identifying text; they are not scrubbed (burned-in-risk.ts). */
    burnedInAnnotation: BurnedInRisk;
    datesShifted: boolean;
    descriptorsCleaned: boolean;
    /** Overlay planes (60xx) or curves (50xx) were removed. */
    overlaysRemoved: boolean;
  };
};

export type DeidentifiedInstance = { bytes: Uint8Array; report: DeidentificationReport };

/** Cohort's Implementation Class UID (lib/dicom/write-part10.ts), and a version name saying what wrote the file. */
const IMPLEMENTATION_VERSION_NAME = 'COHORT_DEID_1';

/** CID 7050 De-identification Methods. */
const METHOD_CODES = {
  basic: { value: '113100', meaning: 'Basic Application Confidentiality Profile' },
  cleanDescriptors: { value: '113105', meaning: 'Clean Descriptors Option' },
  modifiedDates: { value: '113107', meaning: 'Retain Longitudinal Temporal Information Modified Dates Option' },
};

type Mode =
  /** Attributes the table does not list are kept. */
  | 'normal'
  /** Inside the items of a sequence the table dummies (D): unlisted text, names and dates become dummies too. */
  | 'dummy'
  /** Inside the items of a sequence the Clean Descriptors Option cleans: unlisted text is cleaned. */
  | 'clean';

type Context = {
  actions: AnnexEActions;
  uidKey: Uint8Array;
  uids: Map<string, string>;
  shiftDays: number | null;
  clean: ((text: string) => string) | null;
  pseudonym: string;
  whitelist: PrivateWhitelist;
  removedPrivate: number;
  keptPrivate: number;
  overlaysRemoved: boolean;
};

const TEXT_VRS = new Set(['LO', 'LT', 'SH', 'ST', 'UC', 'UT']);
const DUMMY_VRS = new Set(['AE', 'AS', 'DA', 'DT', 'LO', 'LT', 'PN', 'SH', 'ST', 'TM', 'UC', 'UR', 'UT']);
const STRING_VRS = new Set(['AE', 'AS', 'CS', 'DA', 'DS', 'DT', 'IS', 'LO', 'LT', 'PN', 'SH', 'ST', 'TM', 'UC', 'UI', 'UR', 'UT']);

/**
 * One DICOM instance de-identified by the PS3.15 Annex E Basic Application Level Confidentiality
 * Profile, driven by Table E.1-1 (annex-e-table.json, annex-e-actions.ts), with the Clean Descriptors
 * and Retain Longitudinal Temporal Information with Modified Dates options when asked. UIDs are
 * remapped with a keyed hash so the instances of a dataset keep pointing at each other; the patient
 * gets the dataset's pseudonym; private attributes go unless whitelisted. Pixel data is copied byte
 * for byte and the transfer syntax kept. Input that is not a whole DICOM instance with its SOP
 * Instance, Study and Series UIDs is a BAD_REQUEST. docs/deidentification.md explains the choices.
 */
export function deidentifyInstance(part10: Uint8Array, options: DeidentifyOptions): DeidentifiedInstance {
  const parsedOptions = ZDeidentifyOptions.safeParse(options);
  if (!parsedOptions.success) {
    throw new AppError('BAD_REQUEST', `Invalid de-identification options: ${parsedOptions.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; ')}.`);
  }
  const opts = parsedOptions.data;
  const modifiedDates = opts.retainLongitudinalTemporalInformation === 'modified-dates';

  const parts = splitPart10(part10);
  const { bytes, pixels } = parts;
  // A deflated data set is inflated by now: its bytes are explicit VR little endian.
  const datasetSyntax = parts.deflated ? EXPLICIT_VR_LITTLE_ENDIAN : parts.transferSyntaxUid;
  const dataset = readAttributes(bytes.subarray(parts.datasetStart, pixels ? pixels.start : bytes.length), datasetSyntax);
  if (pixels && pixels.end < bytes.length) Object.assign(dataset, readAttributes(bytes.subarray(pixels.end), datasetSyntax));
  // What the profile leaves as it is gets copied from the input (encode-dataset.ts): these are the attributes as read.
  const asRead = new Map(Object.entries(dataset));
  const missing = parts.topLevelTags.filter((tag) => !(tag in dataset));
  if (missing.length) {
    throw new AppError('BAD_REQUEST', `The DICOM file cannot be read completely: ${missing.length} attribute(s) from (${missing[0]!.slice(0, 4)},${missing[0]!.slice(4)}) on are unreadable.`);
  }

  const sopClassUid = requireUid(dataset, '00080016', 'SOP Class UID (0008,0016)');
  const original = {
    sopInstanceUid: requireUid(dataset, '00080018', 'SOP Instance UID (0008,0018)'),
    studyInstanceUid: requireUid(dataset, '0020000D', 'Study Instance UID (0020,000D)'),
    seriesInstanceUid: requireUid(dataset, '0020000E', 'Series Instance UID (0020,000E)'),
    frameOfReferenceUid: firstString(dataset['00200052']),
  };
  const burnedIn = burnedInAnnotationRisk({
    modality: firstString(dataset['00080060']),
    burnedInAnnotation: firstString(dataset['00280301']),
    sopClassUid,
    imageType: strings(dataset['00080008']),
  });

  const context: Context = {
    actions: annexEActions({ cleanDescriptors: opts.cleanDescriptors, modifiedDates }),
    uidKey: opts.uidKey,
    uids: new Map(),
    shiftDays: modifiedDates ? opts.dateShiftDays! : null,
    clean: opts.cleanDescriptors ? descriptorCleaner(identifiersOf(dataset)) : null,
    pseudonym: opts.patientPseudonym,
    whitelist: privateWhitelist(opts.privateTagWhitelist),
    removedPrivate: 0,
    keptPrivate: 0,
    overlaysRemoved: false,
  };
  deidentifyDataset(dataset, context, 'normal');
  markDeidentified(dataset, context, opts.cleanDescriptors, modifiedDates);

  const remap = (uid: string) => remapWith(context, uid);
  const sopInstanceUid = remap(original.sopInstanceUid);
  const meta: DcmjsDataset = {
    '00020001': { vr: 'OB', Value: [new Uint8Array([0, 1]).buffer] },
    '00020002': { vr: 'UI', Value: [sopClassUid] },
    '00020003': { vr: 'UI', Value: [sopInstanceUid] },
    '00020010': { vr: 'UI', Value: [parts.transferSyntaxUid] },
    '00020012': { vr: 'UI', Value: [IMPLEMENTATION_CLASS_UID] },
    '00020013': { vr: 'SH', Value: [IMPLEMENTATION_VERSION_NAME] },
  };
  const before: DcmjsDataset = {};
  const after: DcmjsDataset = {};
  for (const [tag, element] of Object.entries(dataset)) (pixels && tag > pixels.tag ? after : before)[tag] = element;
  // Text the input held in another character set than UTF-8 is copied only where it is ASCII: the file now says UTF-8.
  const input = { bytes, ranges: parts.ranges, original: asRead, asciiOnly: declaredCharacterSet(asRead.get('00080005')) !== 'ISO_IR 192' };
  const head = part10Prefix(meta);
  const pixelElement = pixels ? bytes.subarray(pixels.start, pixels.end) : new Uint8Array(0);
  const body = [encodeDataset(before, datasetSyntax, input), pixelElement, encodeDataset(after, datasetSyntax, input)];
  const out = parts.deflated ? concat([head, deflateRawSync(concat(body))]) : concat([head, ...body]);

  return {
    bytes: out,
    report: {
      studyInstanceUid: remap(original.studyInstanceUid),
      seriesInstanceUid: remap(original.seriesInstanceUid),
      sopInstanceUid,
      sopClassUid,
      frameOfReferenceUid: original.frameOfReferenceUid ? remap(original.frameOfReferenceUid) : null,
      patientPseudonym: opts.patientPseudonym,
      transferSyntaxUid: parts.transferSyntaxUid,
      removedPrivateTags: context.removedPrivate,
      keptPrivateTags: context.keptPrivate,
      dateShiftDays: context.shiftDays,
      flags: { burnedInAnnotation: burnedIn, datesShifted: modifiedDates, descriptorsCleaned: opts.cleanDescriptors, overlaysRemoved: context.overlaysRemoved },
    },
  };
}

function readAttributes(bytes: Uint8Array, syntax: string): DcmjsDataset {
  try {
    // Lenient: dcmjs stops at what it cannot decode (several Specific Character Sets) instead of
    // failing; the completeness check against dicom-parser's view refuses anything it dropped.
    return readDataset(bytes, syntax, true);
  } catch (err) {
    throw new AppError('BAD_REQUEST', `The DICOM file cannot be parsed: ${err instanceof Error ? err.message : String(err)}.`);
  }
}

/** Applies the table to one data set level and, through sequences, to every level below it. */
function deidentifyDataset(dataset: DcmjsDataset, context: Context, mode: Mode): void {
  const privates = filterPrivateTags(dataset, context.whitelist);
  context.removedPrivate += privates.removed;
  context.keptPrivate += privates.kept.length;
  for (const tag of privates.kept) {
    // A whitelisted private sequence is kept; what the table lists inside it is still de-identified.
    const element = dataset[tag]!;
    if (element.vr === 'SQ') forEachItem(element, (item) => deidentifyDataset(item, context, 'normal'));
  }
  for (const tag of Object.keys(dataset)) {
    if ((parseInt(tag[3]!, 16) & 1) === 1) continue; // private, handled above
    const element = dataset[tag]!;
    if (tag.endsWith('0000')) {
      delete dataset[tag]; // group lengths are stale once anything in the group changes (and retired)
      continue;
    }
    const rule = context.actions.ruleFor(tag);
    if (rule) applyRule(dataset, tag, element, rule, context);
    else applyUnlisted(dataset, tag, element, context, mode);
  }
}

function applyRule(dataset: DcmjsDataset, tag: string, element: DcmjsElement, rule: AttributeRule, context: Context): void {
  // Implicit VR files leave dcmjs guessing for attributes its dictionary lacks: use the table's VR.
  const vr = element.vr === 'UN' && rule.vr !== 'UN' ? rule.vr : element.vr;
  const isSequence = vr === 'SQ';
  if (isSequence && element.vr === 'UN' && rule.action !== 'remove' && rule.action !== 'empty') {
    delete dataset[tag]; // an unparsed sequence cannot be looked into: removing it is the only safe choice
    return;
  }
  switch (rule.action) {
    case 'remove':
      delete dataset[tag];
      if (tag.startsWith('50') || tag.startsWith('60')) context.overlaysRemoved = true;
      return;
    case 'empty':
      dataset[tag] = { vr, Value: [] };
      return;
    case 'keep':
      if (isSequence) forEachItem(element, (item) => deidentifyDataset(item, context, 'normal'));
      return;
    case 'dummy':
      if (isSequence) forEachItem(element, (item) => deidentifyDataset(item, context, 'dummy'));
      else if (vr === 'UI') dataset[tag] = { vr, Value: strings(element).map((uid) => remapWith(context, uid)) };
      else dataset[tag] = { vr, Value: dummyValue(vr) };
      return;
    case 'remap':
      dataset[tag] = { vr: 'UI', Value: strings(element).map((uid) => remapWith(context, uid)) };
      return;
    case 'clean':
      if (isSequence) forEachItem(element, (item) => deidentifyDataset(item, context, 'clean'));
      else dataset[tag] = { vr, Value: strings(element).map((text) => context.clean!(text)) };
      return;
    case 'shift':
      dataset[tag] = { vr, Value: shifted(element, vr, context) };
      return;
    case 'pseudonym':
      dataset[tag] = pseudonymElement(vr, context.pseudonym);
      return;
  }
}

/** An attribute the table does not list: kept, unless it is text inside a sequence that is dummied or cleaned. */
function applyUnlisted(dataset: DcmjsDataset, tag: string, element: DcmjsElement, context: Context, mode: Mode): void {
  const { vr } = element;
  if (vr === 'SQ') {
    forEachItem(element, (item) => deidentifyDataset(item, context, 'normal'));
    return;
  }
  if (vr === 'UN' && (mode !== 'normal' || isEncodedSequence(element))) {
    // Unknown content inside a dummied or cleaned sequence, or a sequence no dictionary could decode
    // (it may hold names and dates the table lists): nothing in it can be vouched for.
    delete dataset[tag];
    return;
  }
  if (mode === 'normal') return;
  if (vr === 'DA' || vr === 'DT' || vr === 'TM') {
    dataset[tag] = { vr, Value: context.shiftDays === null ? dummyValue(vr) : shifted(element, vr, context) };
  } else if (mode === 'clean' && TEXT_VRS.has(vr)) {
    dataset[tag] = { vr, Value: strings(element).map((text) => context.clean!(text)) };
  } else if (DUMMY_VRS.has(vr)) {
    dataset[tag] = { vr, Value: dummyValue(vr) };
  }
}

/** A UN value that starts with an item tag (FFFE,E000), little or big endian: an undecoded sequence. */
function isEncodedSequence(element: DcmjsElement): boolean {
  const raw = element.Value?.[0];
  if (!(raw instanceof ArrayBuffer) || raw.byteLength < 8) return false;
  const b = new Uint8Array(raw, 0, 4);
  return (b[0] === 0xfe && b[1] === 0xff && b[2] === 0x00 && b[3] === 0xe0) || (b[0] === 0xff && b[1] === 0xfe && b[2] === 0xe0 && b[3] === 0x00);
}

function shifted(element: DcmjsElement, vr: string, context: Context): unknown[] {
  const days = context.shiftDays ?? 0;
  const values = strings(element).map((v) => shiftDate(v, vr as 'DA' | 'DT' | 'TM', days));
  // A value that is not a date of its VR is not kept: it may be a real date in another format.
  return values.some((v) => v === null) ? dummyValue(vr) : values;
}

function pseudonymElement(vr: string, pseudonym: string): DcmjsElement {
  return vr === 'PN' ? { vr, Value: [{ Alphabetic: pseudonym }] } : { vr, Value: [pseudonym] };
}

function remapWith(context: Context, uid: string): string {
  let remapped = context.uids.get(uid);
  if (remapped === undefined) {
    remapped = remapUid(uid, context.uidKey);
    context.uids.set(uid, remapped);
  }
  return remapped;
}

/** Attributes Annex E requires of a de-identified instance (PS3.15 E.1.1), and the pseudonym. */
function markDeidentified(dataset: DcmjsDataset, context: Context, cleanDescriptors: boolean, modifiedDates: boolean): void {
  const methods = [METHOD_CODES.basic, ...(cleanDescriptors ? [METHOD_CODES.cleanDescriptors] : []), ...(modifiedDates ? [METHOD_CODES.modifiedDates] : [])];
  // dcmjs writes every string as UTF-8.
  dataset['00080005'] = { vr: 'CS', Value: ['ISO_IR 192'] };
  dataset['00100010'] = pseudonymElement('PN', context.pseudonym);
  dataset['00100020'] = pseudonymElement('LO', context.pseudonym);
  dataset['00120062'] = { vr: 'CS', Value: ['YES'] };
  dataset['00120063'] = { vr: 'LO', Value: ['Cohort: PS3.15 Basic Profile', ...methods.slice(1).map((m) => m.meaning)] };
  dataset['00120064'] = {
    vr: 'SQ',
    Value: methods.map((m) => ({
      '00080100': { vr: 'SH', Value: [m.value] },
      '00080102': { vr: 'SH', Value: ['DCM'] },
      '00080104': { vr: 'LO', Value: [m.meaning] },
    })),
  };
  dataset['00280303'] = { vr: 'CS', Value: [modifiedDates ? 'MODIFIED' : 'REMOVED'] };
}

/**
 * Words the Clean Descriptors Option removes from text: every person name component of the top
 * level (the patient's and other names, physicians', operators'), the patient's IDs, the accession
 * number and other identifiers of the patient's visit.
 */
function identifiersOf(dataset: DcmjsDataset): string[] {
  const terms: string[] = [];
  for (const element of Object.values(dataset)) {
    if (element.vr !== 'PN') continue;
    for (const value of element.Value ?? []) {
      const name = typeof value === 'object' && value !== null ? Object.values(value as Record<string, unknown>).join('=') : String(value ?? '');
      terms.push(...name.split('='), ...name.split(/[\^=\s,]+/));
    }
  }
  for (const tag of ['00100020', '00101000', '00080050', '00380010', '00101090', '00380060']) terms.push(...strings(dataset[tag]));
  for (const item of (dataset['00101002']?.Value ?? []) as DcmjsDataset[]) terms.push(...strings(item['00100020']));
  return terms;
}

/** The Specific Character Set the input declared: dcmjs reports ISO_IR 192 once it has decoded text, and keeps the declaration as read. */
function declaredCharacterSet(element: DcmjsElement | undefined): string {
  return [element?._rawValue ?? element?.Value ?? []].flat().map(String).map(trimPadding).join('\\');
}

function requireUid(dataset: DcmjsDataset, tag: string, name: string): string {
  const uid = firstString(dataset[tag]);
  if (!uid) throw new AppError('BAD_REQUEST', `The DICOM file has no ${name}: it is not a complete DICOM instance.`);
  return uid;
}

/** The values of a string attribute, padding removed (UN values decoded as latin1). */
function strings(element: DcmjsElement | undefined): string[] {
  if (!element || !Array.isArray(element.Value)) return [];
  if (element.vr === 'UN' || (!STRING_VRS.has(element.vr) && element.Value[0] instanceof ArrayBuffer)) {
    const raw = element.Value[0];
    if (!(raw instanceof ArrayBuffer)) return [];
    return Buffer.from(raw).toString('latin1').split('\\').map(trimPadding);
  }
  return element.Value.map((v) => (typeof v === 'string' ? trimPadding(v) : v === null || v === undefined ? '' : typeof v === 'object' ? pnString(v) : String(v)));
}

function firstString(element: DcmjsElement | undefined): string | null {
  return strings(element)[0] || null;
}

function pnString(value: object): string {
  const pn = value as { Alphabetic?: string; Ideographic?: string; Phonetic?: string };
  return [pn.Alphabetic ?? '', pn.Ideographic ?? '', pn.Phonetic ?? ''].join('=').replace(/=+$/, '');
}

const trimPadding = (s: string) => s.replace(/\0/g, '').trim();

function forEachItem(element: DcmjsElement, fn: (item: DcmjsDataset) => void): void {
  for (const item of element.Value ?? []) if (item && typeof item === 'object') fn(item as DcmjsDataset);
}

/** The chunks in one new buffer of their own (not Node's shared pool: callers may read `.buffer`). */
function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
