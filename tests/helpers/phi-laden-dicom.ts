import dcmjs from 'dcmjs';
import { ANNEX_E_ROWS, type AnnexERow } from '../../lib/dicom/deidentify/annex-e-actions';
import type { DcmjsDataset, DcmjsElement } from '../../lib/dicom/deidentify/dcmjs-dataset';

/**
 * A DICOM instance full of PHI for de-identification tests: a value for every exact-tag row of
 * PS3.15 Table E.1-1 (annex-e-table.json) dcmjs can write — derived from the table, not typed —
 * each carrying the patient's name, IDs and dates where its VR allows. The same attributes again,
 * two levels down, in an item of a sequence the table does not list (Referenced Series Sequence >
 * Referenced Instance Sequence), private blocks (top level, in an item, and after the pixel data),
 * an overlay plane, a curve, and pixel data (native, or fragments with `encapsulated`).
 */

/** The identifying values the generated file carries; none may survive de-identification. */
export const PHI = {
  family: 'DOE',
  given: 'JANE',
  patientName: 'DOE^JANE',
  patientId: 'MRN-PHI-4711',
  accession: 'ACC-PHI-0815',
  birthDate: '19620704',
  date: '20240131',
  time: '101500',
  dateTime: '20240131101500',
} as const;

/** Words that must not remain anywhere in a de-identified generated file (outside the pixel data). */
export const PHI_TOKENS = ['DOE', 'JANE', PHI.patientId, PHI.accession, PHI.birthDate, PHI.date, '2024-01-31', '31 Jan 2024', '31.01.2024'];

/** Descriptor text: what the Clean Descriptors Option must leave is the part before the PHI. */
export const DESCRIPTOR_KEEP = { LO: 'CT CHEST', SH: 'CT', long: 'Note about' } as const;

/**
 * The rows written: all but the patterns (private, 50xx, 60xx: written separately below) and the
 * groups no stored data set holds — command (0000,xxxx) and File Meta Information (0002,xxxx), whose
 * Media Storage SOP Instance UID is in the meta of every generated file.
 */
export function rowsInDataset(): AnnexERow[] {
  return ANNEX_E_ROWS.filter((row) => /^\([0-9A-F]{4},[0-9A-F]{4}\)$/.test(row.tag) && !/^\(000[02],/.test(row.tag) && row.vr !== null);
}

export const tagOf = (row: AnnexERow) => row.tag.slice(1, 5) + row.tag.slice(6, 10);

/** Private blocks written: creator → elements (offsets) with values. */
export const PRIVATE = {
  group: 0x0009,
  creator: 'COHORT PHI',
  otherCreator: 'OTHER VENDOR',
  trailingGroup: 0x7fe1,
  trailingCreator: 'COHORT TRAILING',
} as const;

export type PhiLadenOptions = {
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopInstanceUid: string;
  frameOfReferenceUid: string;
  /** UIDs of other instances this one refers to (Referenced/Source Image Sequence, Referenced SOP Instance UID). */
  referencedSopInstanceUid?: string;
  transferSyntaxUid?: string;
  /** Pixel Data as fragments (Encapsulated Uncompressed Explicit VR Little Endian). */
  encapsulated?: boolean;
  /** The date every DA carries (PHI.date by default): two studies of a patient differ here. */
  date?: string;
};

export type PhiLaden = {
  bytes: Uint8Array;
  rows: AnnexERow[];
  /** The UID every U row (not Study/Series/SOP/FoR) of this file carries, by tag. */
  uids: Map<string, string>;
  pixelData: Uint8Array;
};

const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const ENCAPSULATED_UNCOMPRESSED = '1.2.840.10008.1.2.1.98';
const CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2';
const ROWS = 16;

const el = (vr: string, ...Value: unknown[]): DcmjsElement => ({ vr, Value });
const bytesOf = (text: string) => {
  const b = Buffer.from(text.length % 2 ? `${text} ` : text, 'latin1');
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.length);
};

export function phiLadenDicom(options: PhiLadenOptions): PhiLaden {
  const date = options.date ?? PHI.date;
  const rows = rowsInDataset();
  const uids = new Map<string, string>();
  const fixed: Record<string, string> = {
    '0020000D': options.studyInstanceUid,
    '0020000E': options.seriesInstanceUid,
    '00080018': options.sopInstanceUid,
    '00200052': options.frameOfReferenceUid,
  };
  rows.forEach((row, i) => {
    const tag = tagOf(row);
    if (row.vr === 'UI') uids.set(tag, fixed[tag] ?? (tag === '00081155' ? options.referencedSopInstanceUid : undefined) ?? `1.2.826.0.1.3680043.10.54321.${i + 1}`);
  });

  /** A PHI value for a row's VR. */
  const value = (row: AnnexERow): DcmjsElement | null => {
    const vr = row.vr!;
    const isBirth = row.keyword.includes('Birth');
    switch (vr) {
      case 'AE':
        return el(vr, 'DOE_JANE_AE');
      case 'AS':
        return el(vr, '061Y');
      case 'CS':
        return el(vr, 'DOE JANE');
      case 'DA':
        return el(vr, isBirth ? PHI.birthDate : date);
      case 'DT':
        return el(vr, `${isBirth ? PHI.birthDate : date}${PHI.time}`);
      case 'TM':
        return el(vr, PHI.time);
      case 'DS':
        return el(vr, '72.5');
      case 'IS':
        return el(vr, '42');
      case 'US':
        return el(vr, 7);
      case 'PN':
        return el(vr, { Alphabetic: PHI.patientName });
      case 'LO':
        return el(vr, `${DESCRIPTOR_KEEP.LO} DOE JANE ${PHI.patientId} ${PHI.accession} 31.01.2024`);
      case 'SH':
        return el(vr, `${DESCRIPTOR_KEEP.SH} DOE ${date}`);
      case 'LT':
      case 'ST':
      case 'UT':
      case 'UC':
        return el(vr, `${DESCRIPTOR_KEEP.long} ${PHI.patientName} (${PHI.patientId}), accession ${PHI.accession}, seen 2024-01-31 and 31 Jan 2024.`);
      case 'UR':
        return el(vr, 'https://example.org/DOE/JANE');
      case 'UI':
        return el(vr, uids.get(tagOf(row))!);
      case 'OB':
      case 'UN':
        return el(vr, bytesOf(`${PHI.patientName} ${PHI.patientId}`));
      case 'SQ':
        return el(vr, sequenceItem());
      default:
        return null;
    }
  };

  /** What every table sequence holds: a listed name and UID, unlisted code attributes without PHI. */
  const sequenceItem = (): DcmjsDataset => ({
    '00080100': el('SH', 'PHI1'),
    '00080102': el('SH', '99PHI'),
    '00080104': el('LO', 'Neutral meaning'),
    '00081150': el('UI', CT_IMAGE_STORAGE),
    '00081155': el('UI', uids.get('00081155')!),
    '0040A123': el('PN', { Alphabetic: PHI.patientName }),
  });

  const listed = (withSequences: boolean): DcmjsDataset => {
    const ds: DcmjsDataset = {};
    for (const row of rows) {
      if (row.vr === 'SQ' && !withSequences) continue;
      const v = value(row);
      if (v) ds[tagOf(row)] = v;
    }
    // Identifiers as a hospital system sends them (the Clean Descriptors Option looks for these values in text).
    ds['00100020'] = el('LO', PHI.patientId);
    ds['00080050'] = el('SH', PHI.accession);
    for (const tag of ['00101000', '00380010', '00101090', '00380060']) ds[tag] = el('LO', `${PHI.patientId}-${tag}`);
    return ds;
  };
  const privateBlock = (group: number, blocks: [string, [number, DcmjsElement][]][]): DcmjsDataset => {
    const g = group.toString(16).toUpperCase().padStart(4, '0');
    const ds: DcmjsDataset = {};
    blocks.forEach(([creator, elements], i) => {
      const block = (0x10 + i).toString(16).toUpperCase();
      ds[`${g}00${block}`] = el('LO', creator);
      for (const [offset, element] of elements) ds[`${g}${block}${offset.toString(16).toUpperCase().padStart(2, '0')}`] = element;
    });
    return ds;
  };
  const privates = () =>
    privateBlock(PRIVATE.group, [
      [PRIVATE.creator, [[0x01, el('LO', PHI.patientName)], [0x02, el('LO', 'KEEP ME')], [0x03, el('SH', PHI.patientId)]]],
      [PRIVATE.otherCreator, [[0x01, el('LO', PHI.family)], [0x02, el('LO', PHI.given)]]],
    ]);

  const level2: DcmjsDataset = { ...listed(false), ...privates() };
  const level1: DcmjsDataset = { ...listed(false), ...privates(), '0008114A': el('SQ', level2) };
  const pixels = new Uint16Array(ROWS * ROWS).map((_, i) => (i * 37) % 4096);
  const pixelData = new Uint8Array(pixels.buffer);
  const dataset: DcmjsDataset = {
    ...listed(true),
    ...privates(),
    '00111001': el('LO', `orphan ${PHI.patientName}`), // a private element without a creator
    '00081115': el('SQ', level1),
    '00080008': el('CS', 'ORIGINAL', 'PRIMARY', 'AXIAL'),
    '00080016': el('UI', CT_IMAGE_STORAGE),
    '00080060': el('CS', 'CT'),
    '00080070': el('LO', 'Cohort'),
    '00280002': el('US', 1),
    '00280004': el('CS', 'MONOCHROME2'),
    '00280010': el('US', ROWS),
    '00280011': el('US', ROWS),
    '00280100': el('US', 16),
    '00280101': el('US', 12),
    '00280102': el('US', 11),
    '00280103': el('US', 0),
    // An overlay plane and a curve (repeating groups 60xx, 50xx).
    '60000010': el('US', ROWS),
    '60000011': el('US', ROWS),
    '60000040': el('CS', 'G'),
    '60000050': el('SS', 1, 1),
    '60000100': el('US', 1),
    '60000102': el('US', 0),
    '60003000': el('OW', new ArrayBuffer((ROWS * ROWS) / 8)),
    '60004000': el('LT', `overlay of ${PHI.patientName}`),
    '50000005': el('US', 1),
    '50003000': el('OB', bytesOf(`curve ${PHI.patientName}`)),
    '7FE00010': options.encapsulated ? el('OB', pixelData.slice().buffer) : el('OW', pixelData.slice().buffer),
    ...privateBlock(PRIVATE.trailingGroup, [[PRIVATE.trailingCreator, [[0x01, el('LO', PHI.patientName)], [0x02, el('LO', 'TRAILING KEEP')]]]]),
  };
  const transferSyntaxUid = options.encapsulated ? ENCAPSULATED_UNCOMPRESSED : (options.transferSyntaxUid ?? EXPLICIT_LE);
  const meta: DcmjsDataset = {
    '00020001': el('OB', new Uint8Array([0, 1]).buffer),
    '00020002': el('UI', CT_IMAGE_STORAGE),
    '00020003': el('UI', options.sopInstanceUid),
    '00020010': el('UI', transferSyntaxUid),
    '00020012': el('UI', '1.2.826.0.1.3680043.10.54321'),
    '00020013': el('SH', 'PHI_TEST'),
    '00020016': el('AE', 'DOE_JANE_AE'),
  };
  const { DicomDict } = dcmjs.data;
  const dict = new DicomDict(meta);
  dict.dict = dataset;
  // dcmjs writes each frame of encapsulated Pixel Data as one fragment (of at most 20 KiB).
  const bytes = new Uint8Array(dict.write({ allowInvalidVRLength: true, fragmentMultiframe: false }));
  return { bytes, rows, uids, pixelData };
}
