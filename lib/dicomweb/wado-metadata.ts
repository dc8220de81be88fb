import fs from 'node:fs/promises';
import dcmjs from 'dcmjs';
import { forEachConcurrently } from '@/lib/async/for-each-concurrently';
import { SizedLru } from '@/lib/cache/sized-lru';
import { env } from '@/lib/config/env';
import { getDb } from '@/lib/db/client';
import { decodeText, encodingOf } from '@/lib/dicom/character-set';
import { standardDate, standardTime } from '@/lib/dicom/standard-date-time';
import { IMPLICIT_VR_LITTLE_ENDIAN, transferSyntaxOf } from '@/lib/dicom/transfer-syntaxes';
import { getBlobStore } from '@/lib/storage/get-blob-store';
import { attr, type DicomJsonDataset, type DicomJsonValue } from './dicom-json';
import { instancesOf, notFoundFor, type RetrieveTarget } from './wado-rs';

const BINARY_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'UN']);
/** Binary values up to this size come inline (base64); larger ones (lookup tables, private headers) by BulkDataURI. */
const MAX_INLINE_BINARY = 64 * 1024;
const TEXT_VRS = new Set(['PN', 'LO', 'SH', 'ST', 'LT', 'UT', 'UC']);
/** VRs whose Value Multiplicity is always 1 (PS3.5 §6.4): a backslash in them is a character, not a delimiter. */
const SINGLE_VALUED = new Set(['LT', 'ST', 'UT', 'UR']);
/** VRs whose leading spaces are padding too (PS3.5 Table 6.2-1); the others keep them. */
const TRIM_LEADING = new Set(['AE', 'AS', 'CS', 'DS', 'IS', 'LO', 'SH']);
const NUMERIC_STRINGS = new Set(['DS', 'IS']);

const METADATA_READS_IN_FLIGHT = 8;

/**
 * Instances' DICOM JSON, by stored file: a file never changes (its name is its SHA-256), and viewers
 * ask for a series' metadata every time they open it. Bounded by the JSON's length: 32 MiB is some
 * 14,000 CT slices (~2.4 KB each), about 85 MiB of heap as objects. Entries are frozen: callers share them.
 */
const instanceMetadata = new SizedLru<DicomJsonDataset>(32 * 1024 * 1024);

/**
 * WADO-RS RetrieveMetadata (PS3.18 §10.4.1.1.2): each instance's data set as DICOM JSON (Annex F),
 * read from the stored file only up to its Pixel Data (the pixels are fetched as frames). Every other
 * attribute is there (§10.4.3.3.2); binary values over 64 KiB as a BulkDataURI (see wado-bulkdata.ts),
 * so a series' metadata stays small enough for a viewer to load at once.
 */
export async function retrieveMetadata(target: RetrieveTarget): Promise<DicomJsonDataset[]> {
  const rows = await getDb().instance.findMany({
    where: instancesOf(target),
    select: { sopInstanceUid: true, sha256: true, size: true, transferSyntaxUid: true, pixelDataOffset: true, series: { select: { seriesInstanceUid: true } } },
    orderBy: [{ seriesId: 'asc' }, { instanceNumber: 'asc' }, { id: 'asc' }],
  });
  if (rows.length === 0) throw notFoundFor(target);
  const out: DicomJsonDataset[] = new Array(rows.length);
  // Reads overlap in the thread pool while earlier files are parsed: a series is hundreds of files.
  await forEachConcurrently(
    rows.map((row, i) => ({ row, i })),
    METADATA_READS_IN_FLIGHT,
    async ({ row, i }) => {
      const url = `${env.appUrl}/dicomweb/studies/${target.study}/series/${row.series.seriesInstanceUid}/instances/${row.sopInstanceUid}`;
      // The URLs are the file's own UIDs under this server's address: the same for the same bytes.
      const key = `${row.sha256} ${url}`;
      const cached = instanceMetadata.get(key);
      if (cached) {
        out[i] = cached;
        return;
      }
      const { dict, redecode } = await readStoredDataSet(getBlobStore().pathOf(row.sha256), row);
      const dataset = clean(dict, { redecode, bulkDataUri: (path) => `${url}/bulkdata/${path.join('/')}` });
      dataset['00083002'] = attr('UI', row.transferSyntaxUid);
      dataset['00081190'] = attr('UR', url);
      out[i] = deepFreeze(dataset);
      instanceMetadata.set(key, dataset, JSON.stringify(dataset).length);
    },
  );
  return out;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** dcmjs's reading of a stored file up to its Pixel Data, and the encoding its text must be decoded again with, if any. */
export type StoredDataSet = { dict: Record<string, unknown>; redecode: string | null };

export async function readStoredDataSet(file: string, row: { size: number; transferSyntaxUid: string; pixelDataOffset: number | null }): Promise<StoredDataSet> {
  // Up to the Pixel Data element's header (8 bytes implicit VR, 12 explicit): the pixels are not read.
  const header = row.transferSyntaxUid === IMPLICIT_VR_LITTLE_ENDIAN ? 8 : 12;
  const deflated = transferSyntaxOf(row.transferSyntaxUid)?.deflated;
  const length = row.pixelDataOffset !== null && !deflated ? row.pixelDataOffset - header : row.size;
  const handle = await fs.open(file, 'r');
  const bytes = Buffer.alloc(length);
  try {
    await handle.read(bytes, 0, length, 0);
  } finally {
    await handle.close();
  }
  const { dict } = dcmjs.data.DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + length), { untilTag: '7FE00010', ignoreErrors: true });
  // dcmjs reports text as UTF-8 (ISO_IR 192) once read; the file's own declaration is in _rawValue.
  const declared = dict['00080005'] as RawElement | undefined;
  const charset = [declared?._rawValue ?? declared?.Value ?? []].flat().join('\\');
  // dcmjs does not follow ISO 2022 code extensions (escape sequences): such text is decoded again here.
  const redecode = charset.includes('ISO 2022') ? encodingOf(charset) : null;
  return { dict, redecode };
}

export type RawElement = { vr: string; Value?: unknown[]; _rawValue?: unknown };
/** `path`: where an attribute sits, as tags and item indexes (00400275/0/00081150): its bulk data address. */
type CleanContext = { redecode: string | null; bulkDataUri: (path: string[]) => string };

/** dcmjs's parse of a data set (or sequence item) as DICOM JSON; Pixel Data is left out at the top level only. */
function clean(dict: Record<string, unknown>, context: CleanContext, path: string[] = []): DicomJsonDataset {
  const out: DicomJsonDataset = {};
  for (const [tag, raw] of Object.entries(dict)) {
    // Group lengths are not part of the JSON model (PS3.18 F.2.2); group 0002 is the file's, not the data set's.
    if (tag.endsWith('0000') || (path.length === 0 && (tag === '7FE00010' || tag.startsWith('0002')))) continue;
    out[tag] = attribute(raw as RawElement, context, [...path, tag]);
  }
  return out;
}

/** The bytes of a binary element's value (empty when it has none). */
export function binaryValue(element: RawElement): Buffer {
  const buffers = (element.Value ?? []).filter((v): v is ArrayBuffer => v instanceof ArrayBuffer);
  return Buffer.concat(buffers.map((b) => Buffer.from(b)));
}

export function isBinary(element: RawElement): boolean {
  return BINARY_VRS.has(element.vr);
}

function attribute(element: RawElement, context: CleanContext, path: string[]): DicomJsonValue {
  const { vr } = element;
  const { redecode } = context;
  const values = element.Value ?? [];
  if (vr === 'SQ') return attr('SQ', ...values.map((item, i) => clean(item as Record<string, unknown>, context, [...path, String(i)])));
  if (BINARY_VRS.has(vr)) {
    const bytes = binaryValue(element);
    if (bytes.length > MAX_INLINE_BINARY) return { vr, BulkDataURI: context.bulkDataUri(path) };
    return bytes.length ? { vr, InlineBinary: bytes.toString('base64') } : attr(vr);
  }
  // AT: each value a tag, as 8 hex digits (F.2.3); dcmjs reads it as a number.
  if (vr === 'AT') return attr(vr, ...values.map((v) => (typeof v === 'number' ? v.toString(16).toUpperCase().padStart(8, '0') : v)));
  if (vr === 'SV' || vr === 'UV') return attr(vr, ...values.map((v) => (typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()) : v)));
  const field = valueField(element);
  if (field === null) return values.length ? attr(vr, ...values) : attr(vr); // binary numbers (US, FL...): as dcmjs read them
  // Decoded whole, then split: in ISO 2022 text a 5CH byte can be half of a two-byte character.
  const text = redecode && TEXT_VRS.has(vr) ? decodeText(Buffer.from(field, 'latin1'), redecode) : field;
  const trimmed = (SINGLE_VALUED.has(vr) ? [text] : text.split('\\')).map((s) => unpad(s, vr));
  // A zero-length value has no Value (F.2.5); empty values among several are null.
  if (trimmed.length === 1 && trimmed[0] === '') return attr(vr);
  return attr(vr, ...trimmed.map((s) => (s === '' ? null : typed(s, vr))));
}

/**
 * A string element's value field as read from the file (dcmjs's _rawValue, split at backslashes: before
 * it trims, converts to numbers, or, for Specific Character Set, replaces the file's declaration by
 * ISO_IR 192), or null for binary-encoded VRs.
 */
function valueField(element: RawElement): string | null {
  const raw = element._rawValue ?? element.Value;
  const list = Array.isArray(raw) ? raw : [raw];
  return list.every((v) => typeof v === 'string') ? list.join('\\') : null;
}

/** Padding removed per VR (PS3.5 Table 6.2-1): trailing spaces and NULs, and leading spaces where they are insignificant. */
function unpad(value: string, vr: string): string {
  const end = value.replace(/[ \0]+$/, '');
  return TRIM_LEADING.has(vr) ? end.replace(/^ +/, '') : end;
}

function typed(value: string, vr: string): unknown {
  if (vr === 'PN') {
    const [alphabetic, ideographic, phonetic] = value.split('=').map((group) => group.replace(/ +$/, ''));
    return {
      ...(alphabetic ? { Alphabetic: alphabetic } : {}),
      ...(ideographic ? { Ideographic: ideographic } : {}),
      ...(phonetic ? { Phonetic: phonetic } : {}),
    };
  }
  // DS and IS are JSON numbers (F.2.3); a value that is not a number stays as written rather than be lost.
  if (NUMERIC_STRINGS.has(vr)) {
    const n = Number(value);
    return Number.isFinite(n) ? n : value;
  }
  // Retired ACR-NEMA dates and times in today's form: clients write them back into new objects (a SEG).
  if (vr === 'DA') return standardDate(value);
  if (vr === 'TM') return standardTime(value);
  return value;
}
