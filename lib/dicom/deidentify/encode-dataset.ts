import { EXPLICIT_VR_BIG_ENDIAN, EXPLICIT_VR_LITTLE_ENDIAN, IMPLICIT_VR_LITTLE_ENDIAN } from '@/lib/dicom/transfer-syntaxes';
import { type DcmjsDataset, type DcmjsElement, writeDataset } from './dcmjs-dataset';

/**
 * Encodes a de-identified data set without a dcmjs write for each attribute (dcmjs builds several
 * objects per attribute written: most of the cost of de-identifying a CT slice). Attributes the
 * profile left as they were are copied byte for byte from the input; new or changed text, names and
 * UIDs (what the profile writes) are encoded here, as UTF-8; anything else (numbers written anew,
 * binary values without their input bytes, a sequence holding such values) is left to dcmjs.
 */

/** Where an attribute's bytes are in the input (its header included), and whether they may be copied as they are. */
export type InputElements = {
  bytes: Uint8Array;
  /** Top-level attributes ("GGGGEEEE") of defined length: where each starts, where its value starts, where it ends. */
  ranges: ReadonlyMap<string, ElementRange>;
  /** The attribute objects as read, before de-identification: one still in the data set is unchanged. */
  original: ReadonlyMap<string, DcmjsElement>;
  /** The input's text may be copied into a UTF-8 file only where it is ASCII. */
  asciiOnly: boolean;
};

export type ElementRange = { start: number; value: number; end: number };

/** VRs with a 32-bit length in explicit VR transfer syntaxes (PS3.5 7.1.2). */
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);
/** VRs whose values are text, and that dcmjs hands over as strings (PN as objects). */
const TEXT_VRS = new Set(['AE', 'AS', 'CS', 'DA', 'DT', 'LO', 'LT', 'PN', 'SH', 'ST', 'TM', 'UC', 'UI', 'UR', 'UT']);
const UNDEFINED = 0xffffffff;

/**
 * A Part-10 file's start: the 128-byte preamble, "DICM", and the File Meta Information `meta` (without
 * its group length, which is computed) in explicit VR little endian.
 */
export function part10Prefix(meta: DcmjsDataset): Uint8Array {
  const body = encodeDataset(meta, EXPLICIT_VR_LITTLE_ENDIAN, null);
  const prefix = new Uint8Array(132 + 12 + body.length);
  prefix.set([0x44, 0x49, 0x43, 0x4d], 128);
  const view = new DataView(prefix.buffer);
  view.setUint16(132, 0x0002, true);
  view.setUint16(134, 0x0000, true);
  prefix.set([0x55, 0x4c], 136); // UL
  view.setUint16(138, 4, true);
  view.setUint32(140, body.length, true);
  prefix.set(body, 144);
  return prefix;
}

/** The header length of an element of this VR in this transfer syntax. */
export function elementHeaderLength(vr: string | undefined, syntax: string): number {
  if (syntax === IMPLICIT_VR_LITTLE_ENDIAN) return 8;
  return vr && LONG_VRS.has(vr) ? 12 : 8;
}

/**
 * The attributes of `dataset` in tag order, encoded in `syntax` (explicit or implicit VR; the bytes
 * of a deflated one before deflation). Small results may share Node's buffer pool: copy them into
 * the file rather than handing them on.
 */
export function encodeDataset(dataset: DcmjsDataset, syntax: string, input: InputElements | null): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const tag of Object.keys(dataset).sort()) {
    const element = dataset[tag]!;
    const range = input?.ranges.get(tag);
    if (range && input!.original.get(tag) === element && element.vr !== 'SQ' && (!input!.asciiOnly || !TEXT_VRS.has(element.vr) || isAscii(input!.bytes, range.value, range.end))) {
      parts.push(input!.bytes.subarray(range.start, range.end));
      continue;
    }
    parts.push(encodeElement(tag, element, syntax) ?? writeDataset({ [tag]: element }, syntax));
  }
  return Buffer.concat(parts);
}

/** One attribute encoded here, or null when dcmjs must encode it. */
function encodeElement(tag: string, element: DcmjsElement, syntax: string): Uint8Array | null {
  if (element.vr === 'SQ') return encodeSequence(tag, element, syntax);
  const value = textValue(element) ?? binaryValue(element);
  if (value === null) return null;
  const padded = value.length % 2 ? Buffer.concat([value, Buffer.from(element.vr === 'UI' || !TEXT_VRS.has(element.vr) ? '\0' : ' ')]) : value;
  const header = elementHeader(tag, element.vr, padded.length, syntax);
  return header && Buffer.concat([header, padded]);
}

/**
 * A sequence whose items hold only what encodeElement encodes, or null. Undefined lengths, as dcmjs
 * writes them: a reader of implicit VR that does not know the attribute still finds its items.
 */
function encodeSequence(tag: string, element: DcmjsElement, syntax: string): Uint8Array | null {
  const parts: Uint8Array[] = [];
  for (const item of element.Value ?? []) {
    if (!item || typeof item !== 'object' || item instanceof ArrayBuffer) return null;
    parts.push(delimiter(0xe000, UNDEFINED, syntax));
    for (const inner of Object.keys(item).sort()) {
      const encoded = encodeElement(inner, (item as DcmjsDataset)[inner]!, syntax);
      if (!encoded) return null;
      parts.push(encoded);
    }
    parts.push(delimiter(0xe00d, 0, syntax));
  }
  parts.push(delimiter(0xe0dd, 0, syntax));
  const header = elementHeader(tag, 'SQ', UNDEFINED, syntax);
  return header && Buffer.concat([header, ...parts]);
}

/** A text attribute's value bytes (UTF-8, values joined by backslashes), unpadded; null if it holds anything but text. */
function textValue(element: DcmjsElement): Buffer | null {
  if (!TEXT_VRS.has(element.vr) || !Array.isArray(element.Value)) return null;
  const values: string[] = [];
  for (const v of element.Value) {
    if (typeof v === 'string') values.push(v);
    else if (element.vr === 'PN' && v && typeof v === 'object' && !(v instanceof ArrayBuffer)) values.push(personName(v as Record<string, unknown>));
    else return null;
  }
  return Buffer.from(values.join('\\'), 'utf8');
}

/** The bytes of a one-valued OB or UN attribute (such as the File Meta Information Version), or null. */
function binaryValue(element: DcmjsElement): Buffer | null {
  const [v, ...rest] = element.Value ?? [];
  return (element.vr === 'OB' || element.vr === 'UN') && v instanceof ArrayBuffer && !rest.length ? Buffer.from(v) : null;
}

/** A PN value's component groups as DICOM writes them: Alphabetic=Ideographic=Phonetic, trailing empty groups left out. */
function personName(pn: Record<string, unknown>): string {
  return [pn.Alphabetic, pn.Ideographic, pn.Phonetic].map((g) => (typeof g === 'string' ? g : '')).join('=').replace(/=+$/, '');
}

function elementHeader(tag: string, vr: string, length: number, syntax: string): Uint8Array | null {
  const littleEndian = syntax !== EXPLICIT_VR_BIG_ENDIAN;
  const headerLength = elementHeaderLength(vr, syntax);
  // A short-VR value over 64 KiB needs dcmjs's way out (it writes it as UN).
  if (headerLength === 8 && syntax !== IMPLICIT_VR_LITTLE_ENDIAN && length > 0xffff) return null;
  // (An undefined length only comes with SQ, a 32-bit length.)
  const out = new Uint8Array(headerLength);
  const view = new DataView(out.buffer);
  view.setUint16(0, parseInt(tag.slice(0, 4), 16), littleEndian);
  view.setUint16(2, parseInt(tag.slice(4), 16), littleEndian);
  if (syntax === IMPLICIT_VR_LITTLE_ENDIAN) view.setUint32(4, length, true);
  else {
    out[4] = vr.charCodeAt(0);
    out[5] = vr.charCodeAt(1);
    if (headerLength === 12) view.setUint32(8, length, littleEndian);
    else view.setUint16(6, length, littleEndian);
  }
  return out;
}

/** An item (FFFE,E000), item delimiter (FFFE,E00D) or sequence delimiter (FFFE,E0DD). */
function delimiter(element: number, length: number, syntax: string): Uint8Array {
  const littleEndian = syntax !== EXPLICIT_VR_BIG_ENDIAN;
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint16(0, 0xfffe, littleEndian);
  view.setUint16(2, element, littleEndian);
  view.setUint32(4, length, littleEndian);
  return out;
}

function isAscii(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i]! > 0x7f) return false;
  return true;
}
