import dicomParser, { type DataSet, type Element } from 'dicom-parser';
import { decodeText, encodingOf } from './character-set';
import { samplesStored } from './read-native-frame';
import { standardDate, standardTime } from './standard-date-time';
import { DicomRejection, FAILURE_REASON } from './dicom-rejection';
import { transferSyntaxOf, type TransferSyntax } from './transfer-syntaxes';
import { checkUid } from './uid';

/** Random access to the bytes of one file (on disk while it is ingested; in memory in tests). */
export type ByteSource = {
  size: number;
  read(position: number, length: number): Promise<Uint8Array>;
};

export type PixelDataLayout =
  | { encapsulated: false; offset: number; length: number }
  | { encapsulated: true; offset: number; fragments: number };

/** What Cohort indexes about one DICOM instance: everything but the pixels. */
export type DicomHeader = {
  transferSyntax: TransferSyntax;
  sopClassUid: string;
  sopInstanceUid: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  patient: { id: string; issuer: string; name: string; birthDate: string; sex: string };
  study: { date: string; time: string; description: string; accessionNumber: string; referringPhysician: string; id: string };
  series: { modality: string; number: number | null; description: string; bodyPart: string };
  instance: {
    number: number | null;
    rows: number | null;
    columns: number | null;
    frames: number;
    bitsAllocated: number | null;
    bitsStored: number | null;
    pixelRepresentation: number | null;
    samplesPerPixel: number | null;
    photometricInterpretation: string;
    imagePositionPatient: number[] | null;
    imageOrientationPatient: number[] | null;
    pixelSpacing: number[] | null;
    sliceThickness: number | null;
    rescaleSlope: number | null;
    rescaleIntercept: number | null;
    windowCenter: number | null;
    windowWidth: number | null;
  };
  pixelData: PixelDataLayout | null;
  /** Tolerated deviations from the standard, to show beside the stored file. */
  warnings: string[];
};

const FIRST_READ = 64 * 1024;
export const PIXEL_DATA = 'x7fe00010';
const MEDIA_STORAGE_DIRECTORY = '1.2.840.10008.1.3.10';
const ITEM = 0xfffee000;
const SEQUENCE_DELIMITER = 0xfffee0dd;

/**
 * Reads and validates a DICOM Part-10 file's header with dicom-parser, stopping at Pixel Data: the
 * pixels are never copied, only their layout is checked (a native value that fits in the file, or
 * fragments that end with a sequence delimiter), so a truncated file is refused. Reads 64 KiB first
 * and more only for longer headers. Throws DicomRejection with the reason.
 */
export async function readDicomHeader(source: ByteSource): Promise<DicomHeader> {
  const dataSet = await readDataSet(source);
  try {
    return await headerOf(dataSet, source);
  } catch (err) {
    // Name the object in the refusal when its UIDs could be read.
    if (err instanceof DicomRejection) {
      const [sopClassUid, sopInstanceUid] = [text(dataSet, 'x00080016'), text(dataSet, 'x00080018')];
      if (checkUid(sopInstanceUid).ok) err.sopInstanceUid = sopInstanceUid;
      if (checkUid(sopClassUid).ok) err.sopClassUid = sopClassUid;
    }
    throw err;
  }
}

async function headerOf(dataSet: DataSet, source: ByteSource): Promise<DicomHeader> {
  const warnings = [...dataSet.warnings];
  const tsUid = text(dataSet, 'x00020010');
  if (!tsUid) throw cannotUnderstand('Its file meta information has no Transfer Syntax UID (0002,0010).');
  const transferSyntax = transferSyntaxOf(tsUid);
  if (!transferSyntax) throw cannotUnderstand(`Its transfer syntax ${tsUid} is not one DICOM defines, so it cannot be decoded.`);

  // A DICOMDIR names its SOP Class only in its file meta information.
  if (text(dataSet, 'x00020002') === MEDIA_STORAGE_DIRECTORY || text(dataSet, 'x00080016') === MEDIA_STORAGE_DIRECTORY) {
    throw new DicomRejection(FAILURE_REASON.SOP_CLASS_NOT_SUPPORTED, 'It is a DICOMDIR (an index of files), not an image: send the files it lists instead.');
  }
  const uids = {
    sopClassUid: requiredUid(dataSet, 'x00080016', 'SOP Class UID (0008,0016)', warnings),
    sopInstanceUid: requiredUid(dataSet, 'x00080018', 'SOP Instance UID (0008,0018)', warnings),
    studyInstanceUid: requiredUid(dataSet, 'x0020000d', 'Study Instance UID (0020,000D)', warnings),
    seriesInstanceUid: requiredUid(dataSet, 'x0020000e', 'Series Instance UID (0020,000E)', warnings),
  };
  const metaSop = text(dataSet, 'x00020003');
  if (metaSop && metaSop !== uids.sopInstanceUid) {
    warnings.push(`Its file meta information names SOP Instance UID ${metaSop}, its data set ${uids.sopInstanceUid}: the data set's is used.`);
  }
  const metaClass = text(dataSet, 'x00020002');
  if (metaClass && metaClass !== uids.sopClassUid) {
    warnings.push(`Its file meta information names SOP Class UID ${metaClass}, its data set ${uids.sopClassUid}: the data set's is used.`);
  }

  const encoding = encodingOf(text(dataSet, 'x00080005'));
  const str = (tag: string) => decoded(dataSet, tag, encoding);
  const instance = {
    number: integer(dataSet, 'x00200013'),
    rows: dataSet.uint16('x00280010') ?? null,
    columns: dataSet.uint16('x00280011') ?? null,
    frames: integer(dataSet, 'x00280008') ?? 1,
    bitsAllocated: dataSet.uint16('x00280100') ?? null,
    bitsStored: dataSet.uint16('x00280101') ?? null,
    pixelRepresentation: dataSet.uint16('x00280103') ?? null,
    samplesPerPixel: dataSet.uint16('x00280002') ?? null,
    photometricInterpretation: text(dataSet, 'x00280004'),
    imagePositionPatient: decimals(dataSet, 'x00200032', 3),
    imageOrientationPatient: decimals(dataSet, 'x00200037', 6),
    pixelSpacing: decimals(dataSet, 'x00280030', 2),
    sliceThickness: decimals(dataSet, 'x00180050', 1)?.[0] ?? null,
    rescaleSlope: decimals(dataSet, 'x00281053', 1)?.[0] ?? null,
    rescaleIntercept: decimals(dataSet, 'x00281052', 1)?.[0] ?? null,
    windowCenter: firstDecimal(dataSet, 'x00281050'),
    windowWidth: firstDecimal(dataSet, 'x00281051'),
  };
  if (instance.frames < 1) {
    warnings.push(`Its Number of Frames (0028,0008) is "${text(dataSet, 'x00280008')}": read as 1.`);
    instance.frames = 1;
  }

  const pixelElement = dataSet.elements[PIXEL_DATA];
  const pixelData = pixelElement ? await checkPixelData(pixelElement, dataSet, source, transferSyntax, instance, warnings) : null;

  return {
    transferSyntax,
    ...uids,
    // Dates indexed in the DICOM 3 form whatever the file's, so that date queries and filters compare like with like.
    patient: { id: str('x00100020'), issuer: str('x00100021'), name: str('x00100010'), birthDate: standardDate(text(dataSet, 'x00100030')), sex: text(dataSet, 'x00100040') },
    study: {
      date: standardDate(text(dataSet, 'x00080020')),
      time: standardTime(text(dataSet, 'x00080030')),
      description: str('x00081030'),
      accessionNumber: str('x00080050'),
      referringPhysician: str('x00080090'),
      id: str('x00200010'),
    },
    series: { modality: text(dataSet, 'x00080060'), number: integer(dataSet, 'x00200011'), description: str('x0008103e'), bodyPart: str('x00180015') },
    instance,
    pixelData,
    warnings,
  };
}

/**
 * The data set up to Pixel Data (whose element, if any, holds only its offset and length), read with as
 * few bytes as the header needs. Throws DicomRejection for anything that is not a readable Part-10 file.
 */
export async function readDataSet(source: ByteSource): Promise<DataSet> {
  if (source.size === 0) throw cannotUnderstand('The file is empty.');
  let bytes = await source.read(0, Math.min(source.size, FIRST_READ));
  if (bytes.length < 132 || !isDicmPrefix(bytes)) throw cannotUnderstand(notPart10Reason(bytes));
  for (;;) {
    const parsed = tryParse(bytes);
    const complete = bytes.length >= source.size;
    // A header cut by the end of what was read either fails to parse or ends before Pixel Data: read more.
    if (!complete && (!parsed.ok || !parsed.dataSet.elements[PIXEL_DATA])) {
      bytes = await source.read(0, Math.min(source.size, bytes.length * 4));
      continue;
    }
    if (!parsed.ok) throw cannotUnderstand(`It cannot be read as DICOM: its data set is malformed or truncated (${parsed.reason}).`);
    return parsed.dataSet;
  }
}

type ParseResult = { ok: true; dataSet: DataSet } | { ok: false; reason: string };

function tryParse(bytes: Uint8Array): ParseResult {
  try {
    return { ok: true, dataSet: dicomParser.parseDicom(bytes, { untilTag: PIXEL_DATA }) };
  } catch (err) {
    return { ok: false, reason: parserMessage(err) };
  }
}

/** dicom-parser throws strings, or { exception, dataSet } objects. */
function parserMessage(err: unknown): string {
  const raw = typeof err === 'string' ? err : err instanceof Error ? err.message : String((err as { exception?: unknown })?.exception ?? err);
  return raw.replace(/^dicomParser[.:]\w+: /, '');
}

/**
 * Native Pixel Data must fit in the file; encapsulated Pixel Data must be a run of items that ends
 * with a sequence delimiter before the end of the file. Only item headers are read.
 */
async function checkPixelData(
  element: Element,
  dataSet: DataSet,
  source: ByteSource,
  transferSyntax: TransferSyntax,
  instance: DicomHeader['instance'],
  warnings: string[],
): Promise<PixelDataLayout> {
  // Deflated files were inflated whole by the parser: their offsets are in its buffer, not the file.
  const size = transferSyntax.deflated ? dataSet.byteArray.length : source.size;
  const read = transferSyntax.deflated
    ? async (position: number, length: number) => dataSet.byteArray.subarray(position, position + length)
    : (position: number, length: number) => source.read(position, length);

  if (element.length !== 0xffffffff) {
    const end = element.dataOffset + element.length;
    if (end > size) throw truncated(`its Pixel Data declares ${element.length} bytes but only ${Math.max(0, size - element.dataOffset)} follow`);
    const { rows, columns, bitsAllocated, frames } = instance;
    if (!transferSyntax.encapsulated && rows && columns && bitsAllocated) {
      const samples = samplesStored(instance);
      const needed = Math.ceil((rows * columns * samples * bitsAllocated * frames) / 8);
      if (element.length < needed) {
        warnings.push(`Its Pixel Data has ${element.length} bytes where ${rows}×${columns}×${samples} samples of ${bitsAllocated} bits × ${frames} frame(s) need ${needed}.`);
      }
    }
    return { encapsulated: false, offset: element.dataOffset, length: element.length };
  }

  if (!transferSyntax.encapsulated) {
    warnings.push(`Its Pixel Data has undefined length although ${transferSyntax.name} is not encapsulated: read as fragments.`);
  }
  let position = element.dataOffset;
  let items = 0;
  for (;;) {
    if (position + 8 > size) throw truncated('its encapsulated Pixel Data ends without a sequence delimiter');
    const header = await read(position, 8);
    const view = new DataView(header.buffer, header.byteOffset, 8);
    const tag = ((view.getUint16(0, true) << 16) | view.getUint16(2, true)) >>> 0;
    const length = view.getUint32(4, true);
    if (tag === SEQUENCE_DELIMITER) break;
    if (tag !== ITEM) throw cannotUnderstand(`Its encapsulated Pixel Data is malformed: an element ${hexTag(tag)} stands where a fragment should at byte ${position}.`);
    if (length === 0xffffffff) throw cannotUnderstand('Its encapsulated Pixel Data has a fragment of undefined length.');
    position += 8 + length;
    if (position > size) throw truncated(`fragment ${items} of its Pixel Data runs past the end of the file`);
    items++;
  }
  // The first item is the Basic Offset Table (possibly empty); the others carry the frames.
  if (items < 2) throw cannotUnderstand('Its encapsulated Pixel Data holds no fragments.');
  return { encapsulated: true, offset: element.dataOffset, fragments: items - 1 };
}

function requiredUid(dataSet: DataSet, tag: string, name: string, warnings: string[]): string {
  const value = text(dataSet, tag);
  if (!value) throw new DicomRejection(FAILURE_REASON.DATA_SET_DOES_NOT_MATCH_SOP_CLASS, `It has no ${name}.`);
  const check = checkUid(value);
  if (!check.ok) throw new DicomRejection(FAILURE_REASON.DATA_SET_DOES_NOT_MATCH_SOP_CLASS, `Its ${name} ${check.reason}.`);
  if (check.warning) warnings.push(`Its ${name} ${check.warning}.`);
  return value;
}

/** An ASCII-only value (UIDs, codes, dates), with DICOM's space and NUL padding removed. */
function text(dataSet: DataSet, tag: string): string {
  return (dataSet.string(tag) ?? '').replace(/[\0 ]+$/, '').trim();
}

/** A value that may hold any character of the data set's character set (names, descriptions). */
function decoded(dataSet: DataSet, tag: string, encoding: string): string {
  const element = dataSet.elements[tag];
  if (!element || element.length === 0 || element.length === 0xffffffff) return '';
  const bytes = dataSet.byteArray.subarray(element.dataOffset, element.dataOffset + element.length);
  return decodeText(bytes, encoding).replace(/[\0 ]+$/, '').trim();
}

function integer(dataSet: DataSet, tag: string): number | null {
  const value = Number.parseInt(text(dataSet, tag), 10);
  return Number.isFinite(value) ? value : null;
}

/** A decimal string (DS) value with exactly `count` numbers, or null. */
function decimals(dataSet: DataSet, tag: string, count: number): number[] | null {
  const raw = text(dataSet, tag);
  if (!raw) return null;
  const values = raw.split('\\').map((v) => Number.parseFloat(v));
  return values.length === count && values.every(Number.isFinite) ? values : null;
}

/** The first of a multi-valued decimal string (window center/width may list several presets). */
function firstDecimal(dataSet: DataSet, tag: string): number | null {
  const value = Number.parseFloat(text(dataSet, tag).split('\\')[0] ?? '');
  return Number.isFinite(value) ? value : null;
}

function isDicmPrefix(bytes: Uint8Array): boolean {
  return bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d;
}

/** A helpful reason for a file without the Part-10 "DICM" prefix, naming what it looks like. */
function notPart10Reason(bytes: Uint8Array): string {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x50, 0x4b, 0x03, 0x04)) return 'It is a zip archive, not a DICOM file: upload it as an archive.';
  if (starts(0x1f, 0x8b)) return 'It is gzip-compressed, not a DICOM file: decompress it first.';
  if (starts(0xff, 0xd8, 0xff)) return 'It is a JPEG image, not a DICOM file.';
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'It is a PNG image, not a DICOM file.';
  if (starts(0x25, 0x50, 0x44, 0x46)) return 'It is a PDF document, not a DICOM file.';
  if (bytes.length >= 8 && (starts(0x02, 0x00) || starts(0x08, 0x00))) {
    return 'It is a bare DICOM data set without the Part-10 preamble and file meta information (DICM); re-export it as a DICOM file.';
  }
  return bytes.length < 132 ? 'It is too short to be a DICOM file.' : 'It is not a DICOM Part-10 file: "DICM" is missing at byte 128.';
}

function cannotUnderstand(message: string): DicomRejection {
  return new DicomRejection(FAILURE_REASON.CANNOT_UNDERSTAND, message);
}

function truncated(detail: string): DicomRejection {
  return cannotUnderstand(`It is truncated: ${detail}.`);
}

function hexTag(tag: number): string {
  const hex = tag.toString(16).toUpperCase().padStart(8, '0');
  return `(${hex.slice(0, 4)},${hex.slice(4)})`;
}
