import { env } from '@/lib/config/env';
import { queryRows } from '@/lib/db/query-rows';
import { patientIdOf } from '@/lib/dicom/patient-key.client';
import { standardDate, standardTime } from '@/lib/dicom/standard-date-time';
import { attr, type DicomJsonDataset, type DicomJsonValue } from './dicom-json';
import { parseQidoQuery, type MatchField, type ParsedQuery } from './qido-match';

export type QidoResult = { matches: DicomJsonDataset[]; ignored: string[] };

/** The study attributes QIDO-RS matches on, and the SQL each is matched with. */
export const STUDY_FIELDS: MatchField[] = [
  { keyword: 'StudyInstanceUID', tag: '0020000D', column: 's.study_instance_uid', kind: 'uid-list' },
  { keyword: 'PatientName', tag: '00100010', column: 'p.name', kind: 'person' },
  { keyword: 'PatientID', tag: '00100020', column: 'p.patient_key', kind: 'text' },
  { keyword: 'AccessionNumber', tag: '00080050', column: 's.accession_number', kind: 'text' },
  { keyword: 'StudyDate', tag: '00080020', column: 's.study_date', kind: 'date' },
  { keyword: 'StudyDescription', tag: '00081030', column: 's.description', kind: 'text' },
  { keyword: 'ReferringPhysicianName', tag: '00080090', column: 's.referring_physician', kind: 'person' },
  { keyword: 'StudyID', tag: '00200010', column: 's.study_id', kind: 'text' },
  { keyword: 'ModalitiesInStudy', tag: '00080061', column: 'EXISTS (SELECT 1 FROM series m WHERE m.study_id = s.id AND m.modality = ?)', kind: 'exists' },
];

const SERIES_FIELDS: MatchField[] = [
  { keyword: 'SeriesInstanceUID', tag: '0020000E', column: 'r.series_instance_uid', kind: 'uid-list' },
  { keyword: 'Modality', tag: '00080060', column: 'r.modality', kind: 'exact' },
  { keyword: 'SeriesNumber', tag: '00200011', column: 'CAST(r.series_number AS TEXT)', kind: 'exact' },
  { keyword: 'SeriesDescription', tag: '0008103E', column: 'r.description', kind: 'text' },
  { keyword: 'BodyPartExamined', tag: '00180015', column: 'r.body_part', kind: 'text' },
];

const INSTANCE_FIELDS: MatchField[] = [
  { keyword: 'SOPInstanceUID', tag: '00080018', column: 'i.sop_instance_uid', kind: 'uid-list' },
  { keyword: 'SOPClassUID', tag: '00080016', column: 'i.sop_class_uid', kind: 'uid-list' },
  { keyword: 'InstanceNumber', tag: '00200013', column: 'CAST(i.instance_number AS TEXT)', kind: 'exact' },
];

type StudyRow = {
  study_instance_uid: string;
  study_date: string;
  study_time: string;
  accession_number: string;
  modalities: string;
  referring_physician: string;
  study_id: string;
  description: string;
  series_count: number | bigint;
  instance_count: number | bigint;
  name: string;
  patient_key: string;
  birth_date: string;
  sex: string;
};

/**
 * QIDO-RS SearchForStudies (PS3.18 §10.6): studies matching `params`, newest first, among those
 * `visible` allows (lib/projects/study-access.ts; null: all).
 */
export async function searchStudies(params: URLSearchParams, visible: { sql: string; params: string[] } | null = null): Promise<QidoResult> {
  const query = parseQidoQuery(params, STUDY_FIELDS);
  const rows = await queryRows<StudyRow>(
    `SELECT s.study_instance_uid, s.study_date, s.study_time, s.accession_number, s.modalities, s.referring_physician, s.study_id,
            s.description, s.series_count, s.instance_count, p.name, p.patient_key, p.birth_date, p.sex
       FROM study s JOIN patient p ON p.id = s.patient_id
      ${where(query, ...(visible ? [visible.sql] : []))} ORDER BY s.study_date DESC, s.study_time DESC, s.id LIMIT ? OFFSET ?`,
    [...(visible?.params ?? []), ...query.conditions.flatMap((c) => c.params), query.limit, query.offset],
  );
  return { ignored: query.ignored, matches: rows.map(studyJson) };
}

type SeriesRow = {
  study_instance_uid: string;
  series_instance_uid: string;
  modality: string;
  series_number: number | null;
  description: string;
  body_part: string;
  instance_count: number | bigint;
};

/** QIDO-RS SearchForSeries, within a study. */
export async function searchSeries(studyInstanceUid: string, params: URLSearchParams): Promise<QidoResult> {
  const query = parseQidoQuery(params, SERIES_FIELDS, 1000);
  const rows = await queryRows<SeriesRow>(
    `SELECT s.study_instance_uid, r.series_instance_uid, r.modality, r.series_number, r.description, r.body_part, r.instance_count
       FROM series r JOIN study s ON s.id = r.study_id
      ${where(query, 's.study_instance_uid = ?')} ORDER BY r.series_number, r.created_at, r.id LIMIT ? OFFSET ?`,
    [studyInstanceUid, ...query.conditions.flatMap((c) => c.params), query.limit, query.offset],
  );
  return {
    ignored: query.ignored,
    matches: rows.map((r) => ({
      '00080005': attr('CS', 'ISO_IR 192'),
      '00080060': attr('CS', ...nonEmpty(r.modality)),
      '0008103E': attr('LO', ...nonEmpty(r.description)),
      '00180015': attr('CS', ...nonEmpty(r.body_part)),
      '0020000D': attr('UI', r.study_instance_uid),
      '0020000E': attr('UI', r.series_instance_uid),
      '00200011': attr('IS', ...(r.series_number === null ? [] : [Number(r.series_number)])),
      '00201209': attr('IS', Number(r.instance_count)),
      '00081190': attr('UR', `${env.appUrl}/dicomweb/studies/${r.study_instance_uid}/series/${r.series_instance_uid}`),
    })),
  };
}

type InstanceRow = {
  study_instance_uid: string;
  series_instance_uid: string;
  sop_instance_uid: string;
  sop_class_uid: string;
  instance_number: number | null;
  transfer_syntax_uid: string;
  rows: number | null;
  columns: number | null;
  frames: number;
  bits_allocated: number | null;
};

/** QIDO-RS SearchForInstances, within a series. */
export async function searchInstances(studyInstanceUid: string, seriesInstanceUid: string, params: URLSearchParams): Promise<QidoResult> {
  const query = parseQidoQuery(params, INSTANCE_FIELDS, 10_000);
  const rows = await queryRows<InstanceRow>(
    `SELECT s.study_instance_uid, r.series_instance_uid, i.sop_instance_uid, i.sop_class_uid, i.instance_number, i.transfer_syntax_uid,
            i.rows, i.columns, i.frames, i.bits_allocated
       FROM instance i JOIN series r ON r.id = i.series_id JOIN study s ON s.id = r.study_id
      ${where(query, 's.study_instance_uid = ? AND r.series_instance_uid = ?')} ORDER BY i.instance_number, i.id LIMIT ? OFFSET ?`,
    [studyInstanceUid, seriesInstanceUid, ...query.conditions.flatMap((c) => c.params), query.limit, query.offset],
  );
  return {
    ignored: query.ignored,
    matches: rows.map((r) => ({
      '00080016': attr('UI', r.sop_class_uid),
      '00080018': attr('UI', r.sop_instance_uid),
      '00083002': attr('UI', r.transfer_syntax_uid),
      '0020000D': attr('UI', r.study_instance_uid),
      '0020000E': attr('UI', r.series_instance_uid),
      '00200013': attr('IS', ...(r.instance_number === null ? [] : [Number(r.instance_number)])),
      // An instance that is no image (no Rows: a report, a waveform) has no frames, not one.
      '00280008': attr('IS', ...(r.rows === null ? [] : [Number(r.frames)])),
      '00280010': attr('US', ...(r.rows === null ? [] : [Number(r.rows)])),
      '00280011': attr('US', ...(r.columns === null ? [] : [Number(r.columns)])),
      '00280100': attr('US', ...(r.bits_allocated === null ? [] : [Number(r.bits_allocated)])),
      '00081190': attr('UR', `${env.appUrl}/dicomweb/studies/${r.study_instance_uid}/series/${r.series_instance_uid}/instances/${r.sop_instance_uid}`),
    })),
  };
}

function where(query: ParsedQuery, ...fixed: string[]): string {
  const all = [...fixed, ...query.conditions.map((c) => `(${c.sql})`)];
  return all.length ? `WHERE ${all.join(' AND ')}` : '';
}

function studyJson(r: StudyRow): DicomJsonDataset {
  return {
    '00080005': attr('CS', 'ISO_IR 192'),
    '00080020': attr('DA', ...nonEmpty(r.study_date).map(standardDate)),
    '00080030': attr('TM', ...nonEmpty(r.study_time).map(standardTime)),
    '00080050': attr('SH', ...nonEmpty(r.accession_number)),
    '00080061': attr('CS', ...(r.modalities ? r.modalities.split('\\') : [])),
    '00080090': personName(r.referring_physician),
    '00081030': attr('LO', ...nonEmpty(r.description)),
    '00100010': personName(r.name),
    '00100020': attr('LO', ...[patientIdOf(r.patient_key)].filter(Boolean)),
    '00100030': attr('DA', ...nonEmpty(r.birth_date).map(standardDate)),
    '00100040': attr('CS', ...nonEmpty(r.sex)),
    '0020000D': attr('UI', r.study_instance_uid),
    '00200010': attr('SH', ...nonEmpty(r.study_id)),
    '00201206': attr('IS', Number(r.series_count)),
    '00201208': attr('IS', Number(r.instance_count)),
    '00081190': attr('UR', `${env.appUrl}/dicomweb/studies/${r.study_instance_uid}`),
  };
}

/** PN in DICOM JSON: its alphabetic, ideographic and phonetic groups (PS3.18 F.2.2). */
function personName(value: string): DicomJsonValue {
  if (!value) return attr('PN');
  const [alphabetic, ideographic, phonetic] = value.split('=');
  return attr('PN', {
    ...(alphabetic ? { Alphabetic: alphabetic } : {}),
    ...(ideographic ? { Ideographic: ideographic } : {}),
    ...(phonetic ? { Phonetic: phonetic } : {}),
  });
}

const nonEmpty = (value: string) => (value ? [value] : []);
