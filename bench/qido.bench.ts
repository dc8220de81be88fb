/**
 * qido.search: p95 latency of QIDO-RS study searches over 10,000 indexed studies. Searches mix what
 * worklists and viewers send: name prefixes, date ranges, modalities, accession numbers, UID lists,
 * and paging. Two comparisons:
 * - in process: searchStudies (the handler's whole work: query parsing, SQL, DICOM JSON) vs the same
 *   SQL run on the bare driver with its result rows untouched;
 * - over loopback HTTP, the same searches against Cohort's QIDO-RS and against Orthanc's (Debian's
 *   orthanc + orthanc-dicomweb, default settings) holding the same 10,000 studies, one small DICOM
 *   file each, made from the same rows.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { newUid } from '../lib/dicom/uid';
import { writePart10 } from '../lib/dicom/write-part10';
import { startOrthanc } from '../tests/helpers/orthanc';
import { entry, report, type BenchEntry } from './harness';

const STUDIES = 10_000;
const SEARCHES = 400;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cohort-bench-qido-'));
process.env.COHORT_DATA_DIR = dataDir;
const dbFile = path.join(dataDir, 'cohort.db');
process.env.DATABASE_URL = `file:${dbFile}`;

const { migrateDatabase } = await import('../lib/db/migrate');
const { closeDb } = await import('../lib/db/client');
const { searchStudies, STUDY_FIELDS } = await import('../lib/dicomweb/qido-rs');
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
const studyUids: string[] = [];
type StudyRow = { patientName: string; patientId: string; birthDate: string; sex: string; studyUid: string; seriesUid: string; date: string; accession: string; modality: string };
const rows: StudyRow[] = [];
raw.transaction(() => {
  const patient = raw.prepare('INSERT INTO patient (id, patient_key, issuer, name, birth_date, sex, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const study = raw.prepare(
    'INSERT INTO study (id, study_instance_uid, patient_id, study_date, study_time, description, accession_number, referring_physician, study_id, modalities, series_count, instance_count, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const series = raw.prepare('INSERT INTO series (id, series_instance_uid, study_id, modality, series_number, description, body_part, instance_count, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  for (let p = 0; p < STUDIES / 2; p++) {
    const patientId = randomUUID();
    const person = { patientId: `PID${String(p).padStart(7, '0')}`, patientName: `${pick(FAMILY)}^${pick(GIVEN)}`, birthDate: `19${40 + Math.floor(random() * 60)}0101`, sex: pick(['F', 'M']) };
    patient.run(patientId, person.patientId, '', person.patientName, person.birthDate, person.sex, now);
    for (let s = 0; s < 2; s++) {
      const id = randomUUID();
      const studyUid = newUid();
      studyUids.push(studyUid);
      const modality = pick(MODALITIES);
      const date = `20${String(15 + Math.floor(random() * 11)).padStart(2, '0')}${String(1 + Math.floor(random() * 12)).padStart(2, '0')}${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
      const seriesUid = newUid();
      study.run(id, studyUid, patientId, date, '101500', `${modality} study`, `ACC${p}${s}`, '', '1', modality, 1, 100, now, now);
      series.run(randomUUID(), seriesUid, id, modality, 1, `${modality} series`, '', 100, now);
      rows.push({ ...person, studyUid, seriesUid, date, accession: `ACC${p}${s}`, modality });
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
const overHttp = await compareWithOrthanc();
await closeDb();

// Baseline: the same SQL on the bare driver (prepared), rows not turned into DICOM JSON.
const { parseQidoQuery } = await import('../lib/dicomweb/qido-match');
const bare = new Database(dbFile, { readonly: true });
const baseline: number[] = [];
for (const q of searches) {
  const parsed = parseQidoQuery(q, STUDY_FIELDS);
  const where = parsed.conditions.length ? `WHERE ${parsed.conditions.map((c) => `(${c.sql})`).join(' AND ')}` : '';
  const sql = `SELECT s.*, p.name, p.patient_key, p.birth_date, p.sex FROM study s JOIN patient p ON p.id = s.patient_id ${where} ORDER BY s.study_date DESC, s.study_time DESC, s.id LIMIT ? OFFSET ?`;
  const t = performance.now();
  bare.prepare(sql).all(...parsed.conditions.flatMap((c) => c.params), parsed.limit, parsed.offset);
  baseline.push(performance.now() - t);
}
bare.close();
rmSync(dataDir, { recursive: true, force: true });

report([entry(`qido.search: p95 of ${SEARCHES} QIDO-RS study searches over ${STUDIES.toLocaleString('en')} studies (SQLite)`, 'ms', p95(ours), 'the same SQL on the bare driver', p95(baseline)), ...overHttp]);

/** The same searches over HTTP, against Cohort and against an Orthanc holding the same studies. */
async function compareWithOrthanc(): Promise<BenchEntry[]> {
  if (!existsSync('/usr/sbin/Orthanc')) {
    process.stderr.write('Orthanc is not installed (apt-get install orthanc orthanc-dicomweb): no Orthanc baseline.\n');
    return [];
  }
  const { qidoResponse } = await import('../lib/dicomweb/qido-response');
  const server = http.createServer(async (req, res) => {
    const answer = qidoResponse(await searchStudies(new URL(req.url!, 'http://x').searchParams));
    res.writeHead(answer.status, Object.fromEntries(answer.headers)).end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const cohortUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/dicomweb`;
  const orthanc = await startOrthanc({ quiet: true });
  try {
    // Orthanc learns the studies as a PACS does: one DICOM file per study, over its REST API, 4 at a time.
    const files = rows.map(studyFile);
    for (let i = 0; i < files.length; i += 4) {
      await Promise.all(
        files.slice(i, i + 4).map(async (body) => {
          const res = await fetch(`${orthanc.restUrl}/instances`, { method: 'POST', body });
          if (!res.ok) throw new Error(`Orthanc refused a study: ${res.status} ${await res.text()}`);
        }),
      );
    }
    const timed = async (base: string) => {
      const times: number[] = [];
      for (const q of searches.slice(0, 20)) await (await fetch(`${base}/studies?${q}`)).arrayBuffer(); // warm up
      for (const q of searches) {
        const t = performance.now();
        const res = await fetch(`${base}/studies?${q}`, { headers: { accept: 'application/dicom+json' } });
        await res.arrayBuffer();
        if (!res.ok && res.status !== 204) throw new Error(`${base}/studies?${q}: ${res.status}`);
        times.push(performance.now() - t);
      }
      return p95(times);
    };
    const [cohortP95, orthancP95] = [await timed(cohortUrl), await timed(orthanc.dicomWebUrl)];
    return [entry(`qido.search: p95 of the same searches over loopback HTTP, same ${STUDIES.toLocaleString('en')} studies`, 'ms', cohortP95, "Orthanc's QIDO-RS", orthancP95)];
  } finally {
    server.close();
    await orthanc.stop();
  }
}

/** A small DICOM file (a 1×1 secondary capture) of one study row. */
function studyFile(row: StudyRow): Uint8Array<ArrayBuffer> {
  return writePart10({
    SOPClassUID: '1.2.840.10008.5.1.4.1.1.7', // Secondary Capture Image Storage
    SOPInstanceUID: newUid(),
    StudyInstanceUID: row.studyUid,
    SeriesInstanceUID: row.seriesUid,
    PatientName: row.patientName,
    PatientID: row.patientId,
    PatientBirthDate: row.birthDate,
    PatientSex: row.sex,
    StudyDate: row.date,
    StudyTime: '101500',
    StudyDescription: `${row.modality} study`,
    AccessionNumber: row.accession,
    ReferringPhysicianName: '',
    StudyID: '1',
    Modality: row.modality,
    SeriesNumber: 1,
    SeriesDescription: `${row.modality} series`,
    InstanceNumber: 1,
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: 1,
    Columns: 1,
    BitsAllocated: 16,
    BitsStored: 16,
    HighBit: 15,
    PixelRepresentation: 0,
    PixelData: new Uint16Array([0]).buffer,
    _vrMap: { PixelData: 'OW' },
  });
}
