import { createHash } from 'node:crypto';
import { EXPLICIT_VR_LITTLE_ENDIAN } from './transfer-syntaxes';
import { IMPLEMENTATION_CLASS_UID } from './write-part10';
import { checkUid } from './uid';

/**
 * A DICOMDIR (PS3.10 §8 Media Storage Directory; PS3.3 Annex F, Basic Directory IOD) for a set of
 * DICOM files laid out as on CD/DVD media: what a disc viewer or another hospital's import reads to
 * find patients, studies, series and files without opening every file.
 */

/** The media's content, patient by patient; every instance names its file as the DICOMDIR will reference it. */
export type DicomdirInput = {
  /** File-set ID (0004,1130): up to 16 of A–Z, 0–9, space and underscore; empty when absent. */
  fileSetId?: string;
  patients: {
    name: string;
    id: string;
    /** YYYYMMDD; left out when absent or malformed (optional in the record). */
    birthDate?: string;
    sex?: string;
    studies: {
      studyInstanceUid: string;
      studyDate?: string;
      studyTime?: string;
      studyDescription?: string;
      studyId?: string;
      accessionNumber?: string;
      series: {
        seriesInstanceUid: string;
        modality: string;
        seriesNumber?: number | null;
        instances: {
          sopClassUid: string;
          sopInstanceUid: string;
          transferSyntaxUid: string;
          instanceNumber?: number | null;
          /** The file's path components relative to the DICOMDIR, e.g. mediaFileId(0, 0, 0, 0). */
          fileId: string[];
        }[];
      }[];
    }[];
  }[];
};

/**
 * Path components of the n-th instance's file (0-based indices, 1-based names):
 * DICOM/P0000001/ST000001/SE000001/IM000001. PS3.12 media allow only A–Z, 0–9 and _ in at most 8
 * characters per component, 8 levels deep; six digits per level leave room for 999,999 studies,
 * series and instances each, and nested folders keep every directory small on ISO 9660.
 */
export function mediaFileId(patientIndex: number, studyIndex: number, seriesIndex: number, instanceIndex: number): string[] {
  return ['DICOM', component('P', 7, patientIndex), component('ST', 6, studyIndex), component('SE', 6, seriesIndex), component('IM', 6, instanceIndex)];
}

function component(prefix: string, digits: number, index: number): string {
  if (!Number.isSafeInteger(index) || index < 0 || index + 1 >= 10 ** digits) throw new RangeError(`${prefix} index ${index} does not fit in a media file ID.`);
  return `${prefix}${String(index + 1).padStart(digits, '0')}`;
}

const MEDIA_STORAGE_DIRECTORY = '1.2.840.10008.1.3.10';
const IMPLEMENTATION_VERSION_NAME = 'COHORT';
const IN_USE = 0xffff;
const PREAMBLE = 128;
/** Offset of the Next Directory Record, Record In-use Flag and Offset of the Referenced Lower-Level Directory Entity. */
const RECORD_LINKS = 12 + 10 + 12;
const ITEM_HEADER = 8;

/**
 * The DICOMDIR file (explicit VR little endian, defined lengths throughout, so every offset is exact):
 * PATIENT → STUDY → SERIES → IMAGE records with the keys PS3.3 F.5 requires. Type 1 keys the data
 * lacks get documented stand-ins (Study Date 19000101, Study Time 000000, Study ID, Series and
 * Instance Number from the position, Modality OT) since a record without them is invalid. Its Media
 * Storage SOP Instance UID is derived from the content, so the same files give the same bytes (and
 * a resumed download the same archive). Throws on a malformed UID or file ID, or a file referenced twice.
 */
export function buildDicomdir(input: DicomdirInput): Buffer {
  const fileSetId = (input.fileSetId ?? '').trim();
  if (!/^[A-Z0-9_ ]{0,16}$/.test(fileSetId)) throw new Error(`File-set ID "${fileSetId}" is not up to 16 of A–Z, 0–9, space and underscore.`);
  const records = directoryRecords(input);

  const sopInstanceUid = uidFromContent([Buffer.from(fileSetId), ...records.map((r) => r.body)]);
  const meta = [
    element(0x00020001, 'OB', Buffer.from([0, 1])),
    text(0x00020002, 'UI', MEDIA_STORAGE_DIRECTORY),
    text(0x00020003, 'UI', sopInstanceUid),
    text(0x00020010, 'UI', EXPLICIT_VR_LITTLE_ENDIAN),
    text(0x00020012, 'UI', IMPLEMENTATION_CLASS_UID),
    text(0x00020013, 'SH', IMPLEMENTATION_VERSION_NAME),
  ];
  const metaLength = meta.reduce((sum, b) => sum + b.length, 0);
  const fileSetIdElement = text(0x00041130, 'CS', fileSetId);

  // PS3.3 F.3.2.1: offsets count from the first byte of the File Meta Information, i.e. of the preamble.
  let offset = PREAMBLE + 4 + 12 + metaLength + fileSetIdElement.length + 12 + 12 + 10 + 12;
  for (const record of records) {
    record.offset = offset;
    offset += ITEM_HEADER + RECORD_LINKS + record.body.length;
  }
  if (offset > 0xffffffff) throw new Error('The DICOMDIR would exceed 4 GiB: its offsets cannot address it.');
  const roots = records.filter((r) => r.level === 0);
  const sequenceLength = offset - (records[0]?.offset ?? offset);

  const parts: Buffer[] = [
    Buffer.alloc(PREAMBLE),
    Buffer.from('DICM', 'latin1'),
    uint(0x00020000, 'UL', metaLength),
    ...meta,
    fileSetIdElement,
    uint(0x00041200, 'UL', roots[0]?.offset ?? 0),
    uint(0x00041202, 'UL', roots.at(-1)?.offset ?? 0),
    uint(0x00041212, 'US', 0),
    element(0x00041220, 'SQ', Buffer.alloc(0), sequenceLength),
  ];
  for (const record of records) {
    const item = Buffer.alloc(ITEM_HEADER);
    item.writeUInt16LE(0xfffe, 0);
    item.writeUInt16LE(0xe000, 2);
    item.writeUInt32LE(RECORD_LINKS + record.body.length, 4);
    parts.push(
      item,
      uint(0x00041400, 'UL', record.next?.offset ?? 0),
      uint(0x00041410, 'US', IN_USE),
      uint(0x00041420, 'UL', record.child?.offset ?? 0),
      record.body,
    );
  }
  const file = Buffer.concat(parts);
  if (file.length !== offset) throw new Error(`DICOMDIR layout error: wrote ${file.length} bytes, planned ${offset}.`);
  return file;
}

type DirectoryRecord = {
  level: number;
  /** Directory Record Type onwards: every element after the three links. */
  body: Buffer;
  next: DirectoryRecord | null;
  child: DirectoryRecord | null;
  offset: number;
};

type Key = [tag: number, vr: string, value: string];

/** The records in file order (each patient, then its studies, each with its series and their instances), linked as siblings and children. */
function directoryRecords({ patients }: DicomdirInput): DirectoryRecord[] {
  const out: DirectoryRecord[] = [];
  const files = new Set<string>();
  const add = (level: number, type: string, keys: Key[]): DirectoryRecord => {
    const record: DirectoryRecord = { level, body: recordBody(type, keys), next: null, child: null, offset: 0 };
    out.push(record);
    return record;
  };
  const link = (records: DirectoryRecord[]) => {
    for (let i = 0; i + 1 < records.length; i++) records[i]!.next = records[i + 1]!;
    return records[0] ?? null;
  };

  link(
    patients.map((patient, p) => {
      const sex = cleanText(patient.sex, 16).toUpperCase();
      const patientRecord = add(0, 'PATIENT', [
        [0x00100010, 'PN', cleanPersonName(patient.name)],
        [0x00100020, 'LO', cleanText(patient.id, 64) || component('P', 7, p)],
        ...optional(0x00100030, 'DA', date(patient.birthDate)),
        ...optional(0x00100040, 'CS', ['M', 'F', 'O'].includes(sex) ? sex : ''),
      ]);
      patientRecord.child = link(
        patient.studies.map((study, st) => {
          const studyRecord = add(1, 'STUDY', [
            [0x00080020, 'DA', date(study.studyDate) || '19000101'],
            [0x00080030, 'TM', time(study.studyTime) || '000000'],
            [0x00080050, 'SH', cleanText(study.accessionNumber, 16)],
            [0x00081030, 'LO', cleanText(study.studyDescription, 64)],
            [0x0020000d, 'UI', uid(study.studyInstanceUid, 'Study Instance UID')],
            [0x00200010, 'SH', cleanText(study.studyId, 16) || String(st + 1)],
          ]);
          studyRecord.child = link(
            study.series.map((series, se) => {
              const modality = cleanText(series.modality, 16).toUpperCase();
              const seriesRecord = add(2, 'SERIES', [
                [0x00080060, 'CS', /^[A-Z0-9_ ]+$/.test(modality) ? modality : 'OT'],
                [0x0020000e, 'UI', uid(series.seriesInstanceUid, 'Series Instance UID')],
                [0x00200011, 'IS', integerString(series.seriesNumber) ?? String(se + 1)],
              ]);
              seriesRecord.child = link(
                series.instances.map((instance, im) => {
                  const fileId = checkFileId(instance.fileId);
                  if (files.has(fileId)) throw new Error(`File ${fileId} is referenced twice.`);
                  files.add(fileId);
                  return add(3, 'IMAGE', [
                    [0x00041500, 'CS', fileId],
                    [0x00041510, 'UI', uid(instance.sopClassUid, 'SOP Class UID')],
                    [0x00041511, 'UI', uid(instance.sopInstanceUid, 'SOP Instance UID')],
                    [0x00041512, 'UI', uid(instance.transferSyntaxUid, 'Transfer Syntax UID')],
                    [0x00200013, 'IS', integerString(instance.instanceNumber) ?? String(im + 1)],
                  ]);
                }),
              );
              return seriesRecord;
            }),
          );
          return studyRecord;
        }),
      );
      return patientRecord;
    }),
  );
  return out;
}

/**
 * Directory Record Type and keys, in tag order. Specific Character Set (0008,0005) is type 1C in
 * each record: needed only when a key leaves the default repertoire (ASCII). Each record is its own
 * data set, so ISO_IR 192 (UTF-8, which holds any name) goes only on records that need it: ASCII-only
 * media stay exactly as older importers, which may not know ISO_IR 192, expect.
 */
function recordBody(type: string, keys: Key[]): Buffer {
  const all: Key[] = [[0x00041430, 'CS', type], ...keys];
  if (keys.some(([, , value]) => /[^\x20-\x7e]/.test(value))) all.push([0x00080005, 'CS', 'ISO_IR 192']);
  all.sort((a, b) => a[0] - b[0]);
  return Buffer.concat(all.map(([tag, vr, value]) => text(tag, vr, value)));
}

const optional = (tag: number, vr: string, value: string): Key[] => (value ? [[tag, vr, value]] : []);

function uid(value: string, what: string): string {
  const check = checkUid(value);
  if (!check.ok) throw new Error(`${what} ${check.reason}.`);
  return value;
}

/** PS3.10 §8.2 / PS3.12: 1 to 8 components of 1 to 8 characters from A–Z, 0–9 and _; stored backslash-separated. */
function checkFileId(components: string[]): string {
  if (components.length < 1 || components.length > 8 || !components.every((c) => /^[A-Z0-9_]{1,8}$/.test(c))) {
    throw new Error(`File ID ${JSON.stringify(components)} is not 1–8 components of 1–8 characters from A–Z, 0–9 and _.`);
  }
  return components.join('\\');
}

/** Free text as one value: control characters and backslashes (the value separator) become spaces; at most `max` characters. */
function cleanText(value: string | undefined, max: number): string {
  const clean = (value ?? '').replace(/[\u0000-\u001f\u007f\\]/g, ' ').trim();
  return Array.from(clean).slice(0, max).join('').trimEnd();
}

/** A PN value: up to three component groups (alphabetic=ideographic=phonetic) of at most 64 characters each. */
function cleanPersonName(value: string): string {
  return cleanText(value, Infinity)
    .split('=')
    .slice(0, 3)
    .map((group) => Array.from(group).slice(0, 64).join(''))
    .join('=')
    .trimEnd();
}

/** YYYYMMDD, also from the older YYYY.MM.DD and ISO YYYY-MM-DD forms; '' otherwise. */
function date(value: string | undefined): string {
  const compact = (value ?? '').trim().replace(/^(\d{4})[.-](\d{2})[.-](\d{2})$/, '$1$2$3');
  return /^\d{4}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/.test(compact) ? compact : '';
}

/** HH[MM[SS[.F{1,6}]]], also from the older HH:MM:SS form; '' otherwise. */
function time(value: string | undefined): string {
  const compact = (value ?? '').trim().replace(/^(\d{2}):(\d{2})(?::(\d{2}(\.\d+)?))?$/, (_, h: string, m: string, s = '') => `${h}${m}${s}`);
  return /^([01]\d|2[0-3])([0-5]\d([0-5]\d(\.\d{1,6})?)?)?$/.test(compact) ? compact : '';
}

function integerString(value: number | null | undefined): string | undefined {
  return value != null && Number.isInteger(value) && Math.abs(value) < 2 ** 31 ? String(value) : undefined;
}

/** A 2.25 UID (PS3.5 §B.2) of a version-8 UUID (RFC 9562) made of the content's SHA-256. */
function uidFromContent(parts: Buffer[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  const bytes = hash.digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return `2.25.${BigInt(`0x${bytes.toString('hex')}`).toString()}`;
}

/** A string value padded to even length: UI with NUL, the others with a space (PS3.5 §6.2). */
function text(tag: number, vr: string, value: string): Buffer {
  const bytes = Buffer.from(value, vr === 'UI' || vr === 'CS' || vr === 'DA' || vr === 'TM' || vr === 'IS' ? 'latin1' : 'utf8');
  const padded = bytes.length % 2 === 0 ? bytes : Buffer.concat([bytes, Buffer.from([vr === 'UI' ? 0 : 0x20])]);
  return element(tag, vr, padded);
}

function uint(tag: number, vr: 'UL' | 'US', value: number): Buffer {
  const bytes = Buffer.alloc(vr === 'UL' ? 4 : 2);
  if (vr === 'UL') bytes.writeUInt32LE(value);
  else bytes.writeUInt16LE(value);
  return element(tag, vr, bytes);
}

/** One explicit VR little endian element; OB and SQ have the 4-byte length form (PS3.5 §7.1.2). `length` overrides it for a sequence written item by item. */
function element(tag: number, vr: string, value: Buffer, length = value.length): Buffer {
  const long = vr === 'OB' || vr === 'SQ';
  const header = Buffer.alloc(long ? 12 : 8);
  header.writeUInt16LE(tag >>> 16, 0);
  header.writeUInt16LE(tag & 0xffff, 2);
  header.write(vr, 4, 'latin1');
  if (long) header.writeUInt32LE(length, 8);
  else if (length > 0xffff) throw new Error(`A ${vr} value of ${length} bytes is too long.`);
  else header.writeUInt16LE(length, 6);
  return Buffer.concat([header, value]);
}
