import { inflateRawSync } from 'node:zlib';
import dicomParser, { type DataSet } from 'dicom-parser';
import { EXPLICIT_VR_BIG_ENDIAN, EXPLICIT_VR_LITTLE_ENDIAN, IMPLICIT_VR_LITTLE_ENDIAN, transferSyntaxOf } from '@/lib/dicom/transfer-syntaxes';
import { AppError } from '@/lib/errors/app-error';
import { type ElementRange, elementHeaderLength } from './encode-dataset';

/** A Part-10 file cut where de-identification needs it: the attributes around its pixel data, and the pixel data element as bytes. */
export type Part10Parts = {
  transferSyntaxUid: string;
  /** The data set was deflated (bytes below are inflated). */
  deflated: boolean;
  encapsulated: boolean;
  /** The whole file, its data set inflated if it was deflated. */
  bytes: Uint8Array;
  /** Offset of the data set's first element (after the File Meta Information). */
  datasetStart: number;
  /** The top-level Pixel Data (or Float/Double Float Pixel Data) element, header included, as "GGGGEEEE" and offsets into bytes. */
  pixels: { tag: string; start: number; end: number } | null;
  /** Top-level data set tags ("GGGGEEEE") as dicom-parser found them, pixel data element excluded. */
  topLevelTags: string[];
  /** Where those of defined length are in `bytes`, header included (what de-identification copies unchanged). */
  ranges: Map<string, ElementRange>;
};

const PIXEL_TAGS = ['x7fe00010', 'x7fe00008', 'x7fe00009'];
/** Deflated data sets larger than this are refused (a zip bomb would otherwise take the process down). */
const MAX_INFLATED = 2 ** 31 - 1;

const bad = (message: string) => new AppError('BAD_REQUEST', message);

/**
 * Checks that `part10` is a whole DICOM Part-10 file in a known transfer syntax and finds its data
 * set and top-level pixel data element (whose bytes de-identification copies untouched). Anything
 * else — no "DICM" prefix, an unknown or missing transfer syntax, an element running past the end
 * of the file, encapsulated pixel data without its sequence delimiter — is a BAD_REQUEST that says what.
 */
export function splitPart10(part10: Uint8Array): Part10Parts {
  if (part10.length < 132 || part10[128] !== 0x44 || part10[129] !== 0x49 || part10[130] !== 0x43 || part10[131] !== 0x4d) {
    throw bad('Not a DICOM Part-10 file: there is no "DICM" prefix after a 128-byte preamble.');
  }
  let inflatedAt = null as number | null; // set by the inflater, for a deflated data set
  let ds: DataSet;
  try {
    ds = dicomParser.parseDicom(part10, {
      inflater: ((bytes: Uint8Array, position: number) => {
        inflatedAt = position;
        const inflated = inflateRawSync(bytes.subarray(position), { maxOutputLength: MAX_INFLATED });
        const whole = new Uint8Array(position + inflated.length);
        whole.set(bytes.subarray(0, position));
        whole.set(inflated, position);
        return whole;
      }) as (bytes: Uint8Array, position: number) => void,
    });
  } catch (err) {
    throw bad(`The DICOM file cannot be parsed: ${describe(err)}.`);
  }
  const transferSyntaxUid = (ds.string('x00020010') ?? '').replace(/\0/g, '').trim();
  if (!transferSyntaxUid) throw bad('The DICOM file has no Transfer Syntax UID (0002,0010) in its File Meta Information.');
  const syntax = transferSyntaxOf(transferSyntaxUid);
  if (!syntax) throw bad(`The DICOM file's transfer syntax ${transferSyntaxUid} is not a DICOM transfer syntax this server knows.`);

  const bytes = ds.byteArray as Uint8Array;
  let datasetStart = inflatedAt ?? 132;
  const topLevelTags: string[] = [];
  const ranges = new Map<string, ElementRange>();
  // A deflated data set is explicit VR little endian once inflated.
  const datasetSyntax = syntax.deflated ? EXPLICIT_VR_LITTLE_ENDIAN : transferSyntaxUid;
  let pixelElement: { tag: string; dataOffset: number; length: number; hadUndefinedLength?: boolean } | null = null;
  if (inflatedAt === null) {
    for (const [tag, element] of Object.entries(ds.elements)) {
      if (tag.startsWith('x0002')) datasetStart = Math.max(datasetStart, element.dataOffset + element.length);
    }
  }
  for (const [tag, element] of Object.entries(ds.elements)) {
    // dicom-parser also lists what it read of the preamble and meta of an inflated file: skip all that.
    if (tag.startsWith('x0002') || element.dataOffset < datasetStart) continue;
    if (PIXEL_TAGS.includes(tag) && !pixelElement) {
      pixelElement = { tag, dataOffset: element.dataOffset, length: element.length, hadUndefinedLength: element.hadUndefinedLength };
    } else {
      const name = tag.slice(1).toUpperCase();
      topLevelTags.push(name);
      const range = elementRange(bytes, name, element, datasetSyntax);
      if (range) ranges.set(name, range);
    }
  }

  let pixels: Part10Parts['pixels'] = null;
  if (pixelElement) {
    const headerLength = transferSyntaxUid === IMPLICIT_VR_LITTLE_ENDIAN ? 8 : 12;
    const start = pixelElement.dataOffset - headerLength;
    const tag = pixelElement.tag.slice(1).toUpperCase();
    if (start < datasetStart || !tagAt(bytes, start, tag, transferSyntaxUid === EXPLICIT_VR_BIG_ENDIAN)) {
      throw bad('The DICOM file cannot be parsed: its Pixel Data element is not where its header says.');
    }
    const end = pixelElement.hadUndefinedLength ? endOfFragments(bytes, pixelElement.dataOffset) : pixelElement.dataOffset + pixelElement.length;
    if (end > bytes.length) {
      throw bad(`The DICOM file is truncated: its pixel data declares ${pixelElement.length} bytes, ${bytes.length - pixelElement.dataOffset} remain.`);
    }
    pixels = { tag, start, end };
  }
  return { transferSyntaxUid, deflated: !!syntax.deflated, encapsulated: syntax.encapsulated, bytes, datasetStart, pixels, topLevelTags, ranges };
}

/**
 * Where a top-level element of defined length lies, if its header is where dicom-parser's offsets
 * say (tag, and VR in explicit VR syntaxes); null otherwise, and for undefined lengths.
 */
function elementRange(bytes: Uint8Array, tag: string, element: { dataOffset: number; length: number; vr?: string; hadUndefinedLength?: boolean }, syntax: string): ElementRange | null {
  if (element.hadUndefinedLength) return null;
  const start = element.dataOffset - elementHeaderLength(element.vr, syntax);
  const end = element.dataOffset + element.length;
  if (start < 0 || end > bytes.length || !tagAt(bytes, start, tag, syntax === EXPLICIT_VR_BIG_ENDIAN)) return null;
  if (syntax !== IMPLICIT_VR_LITTLE_ENDIAN && (!element.vr || bytes[start + 4] !== element.vr.charCodeAt(0) || bytes[start + 5] !== element.vr.charCodeAt(1))) return null;
  return { start, value: element.dataOffset, end };
}

/** End offset of encapsulated pixel data (items, then the sequence delimiter) starting at `offset`. */
function endOfFragments(bytes: Uint8Array, offset: number): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let position = offset;
  while (position + 8 <= bytes.length) {
    const group = view.getUint16(position, true);
    const element = view.getUint16(position + 2, true);
    const length = view.getUint32(position + 4, true);
    if (group !== 0xfffe || (element !== 0xe000 && element !== 0xe0dd)) {
      throw bad(`The DICOM file cannot be parsed: its encapsulated pixel data holds (${hex(group)},${hex(element)}) where an item is expected.`);
    }
    position += 8;
    if (element === 0xe0dd) return position;
    if (position + length > bytes.length) throw bad('The DICOM file is truncated: a fragment of its pixel data runs past the end of the file.');
    position += length;
  }
  throw bad('The DICOM file is truncated: its encapsulated pixel data ends without a sequence delimiter.');
}

function tagAt(bytes: Uint8Array, offset: number, tag: string, bigEndian: boolean): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return view.getUint16(offset, !bigEndian) === parseInt(tag.slice(0, 4), 16) && view.getUint16(offset + 2, !bigEndian) === parseInt(tag.slice(4), 16);
}

const hex = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');

function describe(err: unknown): string {
  // dicom-parser throws strings, and wraps what breaks in the data set as { exception, dataSet }.
  const inner = typeof err === 'object' && err !== null && 'exception' in err ? (err as { exception: unknown }).exception : err;
  const text = inner instanceof Error ? inner.message : typeof inner === 'string' ? inner : String(inner);
  if (/overrun|overread|past the end/i.test(text)) return 'it is truncated or corrupt (an element runs past the end of the file)';
  return text.replace(/^dicomParser[.:]\w+: /, '').replace(/\.$/, '');
}
