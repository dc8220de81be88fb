/**
 * qido.search: p95 latency of QIDO-RS study searches (searchStudies, the handler's whole work: query
 * parsing, SQL, DICOM JSON) over 10,000 indexed studies, vs the same SQL run on the bare driver with
 * its result rows untouched. Searches mix what worklists and viewers send: name prefixes, date
 * ranges, modalities, accession numbers, UID lists, and paging.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { entry, report } from './harness';

const STUDIES = 10_000;
const SEARCHES = 400;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cohort-bench-qido-'));
process.env.COHORT_DATA_DIR = dataDir;
const dbFile = path.join(dataDir, 'cohort.db');
process.env.DATABASE_URL = `file:${dbFile}`;

const { migrateDatabase } = await import('../lib/db/migrate');
const { closeDb } = await import('../lib/db/client');
const { searchStudies } = await import('../lib/dicomweb/qido-rs');
await migrateDatabase({ databaseUrl: process.env.DATABASE_URL });

// ---- an index of 10,000 studies (rows as ingest writes them; no files needed to search) ----
let rnd = 7;
const random = () => (rnd = (rnd * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
const FAMILY = ['Smith', 'Garcia', 'Müller', 'Rossi', 'Dubois', 'Nowak', 'Kim', 'Tanaka', 'Okafor', 'Silva', 'Doe', 'Jensen', 'Novak', 'Haddad', 'Ivanova'];
const GIVEN = ['Anna', 'Ben', 'Chen', 'Dara', 'Eli', 'Fatima', 'Goran', 'Hana', 'Ivo', 'Jun', 'Kofi', 'Lena', 'Mia', 'Noah'];
const MODALITIES = ['CT', 'MR', 'CR', 'DX', 'US', 'PT', 'MG', 'XA'];
const raw = new Database(dbFile);
const now = new Date().toISOString().replace('Z', '+00:00');
const uid = () => `2.25.${BigInt(`0x${randomUUID().replaceAll('-', '')}`)}`;
const studyUids: string[] = [];
raw.transaction(() => {
  const patient = raw.prepare('INSERT INTO patient (id, patient_key, issuer, name, birth_date, sex, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const study = raw.prepare(
    'INSERT INTO study (id, study_instance_uid, patient_id, study_date, study_time, description, accession_number, referring_physician, study_id, modalities, series_count, instance_count, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const series = raw.prepare('INSERT INTO series (id, series_instance_uid, study_id, modality, series_number, description, body_part, instance_count, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  for (let p = 0; p < STUDIES / 2; p++) {
    const patientId = randomUUID();
    patient.run(patientId, `PID${String(p).padStart(7, '0')}`, '', `${pick(FAMILY)}^${pick(GIVEN)}`, `19${40 + Math.floor(random() * 60)}0101`, pick(['F', 'M']), now);
    for (let s = 0; s < 2; s++) {
      const id = randomUUID();
      const studyUid = uid();
      studyUids.push(studyUid);
      const modality = pick(MODALITIES);
      const date = `20${String(15 + Math.floor(random() * 11)).padStart(2, '0')}${String(1 + Math.floor(random() * 12)).padStart(2, '0')}${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
      study.run(id, studyUid, patientId, date, '101500', `${modality} study`, `ACC${p}${s}`, '', '1', modality, 1, 100, now, now);
      series.run(randomUUID(), uid(), id, modality, 1, `${modality} series`, '', 100, now);
    }
  }
})();
raw.close();

// ---- searches ----
const searches = Array.from({ length: SEARCHES }, (_, i) => {
  const q = new URLSearchParams();
  switch (i % 6) {
    case 0: q.set('PatientName', `${pick(FAMILY).slice(0, 3)}*`); break;
    case 1: q.set('StudyDate', `2020${String(1 + (i % 12)).padStart(2, '0')}01-2021${String(1 + (i % 12)).padStart(2, '0')}28`); break;
    case 2: q.set('ModalitiesInStudy', pick(MODALITIES)); q.set('limit', '50'); break;
    case 3: q.set('AccessionNumber', `ACC${Math.floor(random() * (STUDIES / 2))}1`); break;
    case 4: q.set('StudyInstanceUID', [pick(studyUids), pick(studyUids)].join(',')); break;
    default: q.set('PatientName', `*${pick(GIVEN).toLowerCase()}`); q.set('offset', '20'); q.set('limit', '20');
  }
  return q;
});
const p95 = (times: number[]) => times.sort((a, b) => a - b)[Math.floor(times.length * 0.95)]!;
for (const q of searches.slice(0, 20)) await searchStudies(q); // warm up
const ours: number[] = [];
let matched = 0;
for (const q of searches) {
  const t = performance.now();
  matched += (await searchStudies(q)).matches.length;
  ours.push(performance.now() - t);
}
if (matched === 0) throw new Error('the searches matched nothing');
await closeDb();

// Baseline: the same SQL on the bare driver (prepared), rows not turned into DICOM JSON.
const { parseQidoQuery } = await import('../lib/dicomweb/qido-match');
const bare = new Database(dbFile, { readonly: true });
const baseline: number[] = [];
const FIELDS = [
  { keyword: 'StudyInstanceUID', tag: '0020000D', column: 's.study_instance_uid', kind: 'uid-list' as const },
  { keyword: 'PatientName', tag: '00100010', column: 'p.name', kind: 'person' as const },
  { keyword: 'AccessionNumber', tag: '00080050', column: 's.accession_number', kind: 'text' as const },
  { keyword: 'StudyDate', tag: '00080020', column: 's.study_date', kind: 'date' as const },
  { keyword: 'ModalitiesInStudy', tag: '00080061', column: 'EXISTS (SELECT 1 FROM series m WHERE m.study_id = s.id AND m.modality = ?)', kind: 'exists' as const },
];
for (const q of searches) {
  const parsed = parseQidoQuery(q, FIELDS);
  const where = parsed.conditions.length ? `WHERE ${parsed.conditions.map((c) => `(${c.sql})`).join(' AND ')}` : '';
  const sql = `SELECT s.*, p.name, p.patient_key, p.birth_date, p.sex FROM study s JOIN patient p ON p.id = s.patient_id ${where} ORDER BY s.study_date DESC, s.study_time DESC, s.id LIMIT ? OFFSET ?`;
  const t = performance.now();
  bare.prepare(sql).all(...parsed.conditions.flatMap((c) => c.params), parsed.limit, parsed.offset);
  baseline.push(performance.now() - t);
}
bare.close();
rmSync(dataDir, { recursive: true, force: true });

report([entry(`qido.search: p95 of ${SEARCHES} QIDO-RS study searches over ${STUDIES.toLocaleString('en')} studies (SQLite)`, 'ms', p95(ours), 'the same SQL on the bare driver', p95(baseline))]);
