/**
 * The study access log: DICOMweb reads (viewer sessions and access tokens), refused attempts, a
 * patient's tries at other studies, model runs; what the patient sees of it and what admins search
 * and export. Writes are batched: each test flushes before reading the log.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as accessLogRoute from '@/app/api/admin/access-log/route';
import * as myAccessesRoute from '@/app/api/me/study-accesses/route';
import * as thumbnailRoute from '@/app/api/me/studies/[studyId]/thumbnail/route';
import * as seriesMetadataRoute from '@/app/dicomweb/studies/[study]/series/[series]/metadata/route';
import * as studyMetadataRoute from '@/app/dicomweb/studies/[study]/metadata/route';
import * as studiesRoute from '@/app/dicomweb/studies/route';
import { flushAccessLog, recordAccess } from '@/lib/access-log/record-access';
import { createAccessToken } from '@/lib/access-tokens/create-access-token';
import { getDb } from '@/lib/db/client';
import { ingestFiles } from '@/lib/dicom/ingest-files';
import { syntheticCtSeries } from '@/lib/dicom/synthetic-ct';
import { callRoute, signInOrThrow, type Session } from '../helpers/api';
import { makeReaderOfAllStudies } from '../helpers/projects';
import { makeUser, signedInUser } from '../helpers/users';

let admin: { id: string; session: Session };
let reader: { id: string; name: string; session: Session };
let outsider: Session;
let patient: { id: string; session: Session };
let otherPatient: { id: string; session: Session };
const study = { id: '', uid: '', series: '' };
const otherStudy = { id: '', uid: '' };

async function ingestStudy(id: string, name: string) {
  const files = syntheticCtSeries({ slices: 2, patient: { name, id, birthDate: '19800101', sex: 'F' }, accessionNumber: `ACC-${id}` });
  await ingestFiles((async function* () { for (const body of files) yield { body }; })(), { actorUserId: admin.id });
  const row = await getDb().study.findFirstOrThrow({ where: { patient: { patientKey: id } }, include: { series: true } });
  return { id: row.id, uid: row.studyInstanceUid, series: row.series[0]!.seriesInstanceUid, patientId: row.patientId };
}

async function patientOf(patientId: string) {
  const user = await signedInUser(['patient']);
  await getDb().patientLink.create({ data: { patientId, userId: user.id } });
  return user;
}

const rows = async () => {
  await flushAccessLog();
  return getDb().studyAccess.findMany({ orderBy: { at: 'asc' } });
};
const seriesMetadata = (session: Session | null, headers: Record<string, string> = {}, s = study) =>
  callRoute(seriesMetadataRoute, 'GET', `/dicomweb/studies/${s.uid}/series/${s.series}/metadata`, { session, params: { study: s.uid, series: s.series }, headers });

beforeAll(async () => {
  admin = await signedInUser(['admin']);
  const a = await ingestStudy('ACCESS-PAT-1', 'Lima^Ana');
  Object.assign(study, a);
  const b = await ingestStudy('ACCESS-PAT-2', 'Okoro^Ben');
  Object.assign(otherStudy, { id: b.id, uid: b.uid });
  const r = await makeReaderOfAllStudies(admin.id);
  reader = { id: r.id, name: (await getDb().user.findUniqueOrThrow({ where: { id: r.id } })).name, session: await signInOrThrow(r.email, r.password) };
  const o = await makeUser(['radiologist']);
  outsider = await signInOrThrow(o.email, o.password);
  patient = await patientOf(a.patientId);
  otherPatient = await patientOf(b.patientId);
});

describe('what is logged', () => {
  it('a viewer session reading DICOMweb: one row per study, series and interval, counting the requests', async () => {
    const reads = await Promise.all([0, 1, 2].map(() => seriesMetadata(reader.session, { 'x-forwarded-for': '10.9.9.9' })));
    expect(reads.map((r) => r.status)).toEqual([200, 200, 200]);
    const logged = (await rows()).filter((r) => r.userId === reader.id);
    // One row, unless a flush fell between the requests: either way they count three.
    expect(logged.length).toBeLessThanOrEqual(2);
    expect(logged.reduce((n, r) => n + r.requests, 0)).toBe(3);
    for (const row of logged) {
      expect(row).toMatchObject({ studyId: study.id, studyInstanceUid: study.uid, seriesInstanceUid: study.series, actor: 'user', role: 'radiologist', how: 'view', outcome: 'allowed', address: '10.9.9.9' });
    }
  });

  it('a program with an access token: "dicomweb", naming the token', async () => {
    const { token, view } = await createAccessToken(admin.id, { name: 'Research PACS sync', expiresInDays: 7 });
    const res = await callRoute(studyMetadataRoute, 'GET', `/dicomweb/studies/${study.uid}/metadata`, { session: null, params: { study: study.uid }, headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const logged = (await rows()).filter((r) => r.accessTokenId === view.id);
    expect(logged).toEqual([expect.objectContaining({ actor: 'access_token', userId: admin.id, role: 'admin', how: 'dicomweb', seriesInstanceUid: null, outcome: 'allowed' })]);
  });

  it('a QIDO-RS search reads the metadata of each study it answers with: one "dicomweb" read each', async () => {
    const { token, view } = await createAccessToken(admin.id, { name: 'Worklist sync', expiresInDays: 7 });
    const res = await callRoute(studiesRoute, 'GET', '/dicomweb/studies?PatientID=ACCESS-PAT-*', { session: null, headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect((res.json as unknown as unknown[]).length).toBe(2);
    const logged = (await rows()).filter((r) => r.accessTokenId === view.id);
    expect(logged.map((r) => r.studyId).sort()).toEqual([study.id, otherStudy.id].sort());
    expect(logged.every((r) => r.how === 'dicomweb' && r.role === 'admin' && r.outcome === 'allowed')).toBe(true);
  });

  it('a refused read is logged as refused, for a real study and for a made-up UID alike', async () => {
    expect((await seriesMetadata(outsider)).status).toBe(404);
    const madeUp = { ...study, uid: '1.2.3.4.5.6.7.8.9' };
    expect((await seriesMetadata(outsider, {}, madeUp)).status).toBe(404);
    const denied = (await rows()).filter((r) => r.outcome === 'denied' && r.role === 'radiologist');
    expect(denied).toEqual([
      expect.objectContaining({ studyId: study.id, how: 'view' }),
      expect.objectContaining({ studyId: null, studyInstanceUid: '1.2.3.4.5.6.7.8.9' }),
    ]);
  });

  it("a patient asking for another patient's study: 404, logged as refused; their own thumbnails are not logged", async () => {
    const before = (await rows()).length;
    const own = await callRoute(thumbnailRoute, 'GET', `/api/me/studies/${study.id}/thumbnail`, { session: patient.session, params: { studyId: study.id } });
    expect(own.status).toBe(200);
    expect((await rows()).length).toBe(before);
    const theirs = await callRoute(thumbnailRoute, 'GET', `/api/me/studies/${otherStudy.id}/thumbnail`, { session: patient.session, params: { studyId: otherStudy.id } });
    expect(theirs.status).toBe(404);
    expect(theirs.json.message).toBe('No such study among yours.');
    const missing = await callRoute(thumbnailRoute, 'GET', '/api/me/studies/nope/thumbnail', { session: patient.session, params: { studyId: 'nope' } });
    expect(missing.json).toEqual(theirs.json);
    const logged = (await rows()).slice(before);
    expect(logged).toEqual([
      expect.objectContaining({ userId: patient.id, role: 'patient', studyId: otherStudy.id, outcome: 'denied' }),
      expect.objectContaining({ userId: patient.id, studyId: null, studyInstanceUid: '', outcome: 'denied' }),
    ]);
  });

  it('a model run is a reader too, named by the model', async () => {
    recordAccess({ study: { id: study.id }, seriesInstanceUid: study.series, by: { kind: 'model', modelName: 'ct-organs' }, how: 'inference' });
    const logged = (await rows()).filter((r) => r.actor === 'model');
    expect(logged).toEqual([expect.objectContaining({ actorRef: 'ct-organs', studyInstanceUid: study.uid, how: 'inference' })]);
  });
});

describe('what the patient sees', () => {
  it('who read their own studies, in words, without refusals or other patients’ studies', async () => {
    const res = await callRoute(myAccessesRoute, 'GET', '/api/me/study-accesses', { session: patient.session });
    expect(res.status).toBe(200);
    const accesses = res.json.accesses as { studyId: string; who: string; how: string; requests: number }[];
    expect(accesses.every((a) => a.studyId === study.id)).toBe(true);
    expect(accesses).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ who: `${reader.name} (Radiologist)`, how: 'view', requests: 3 }),
        expect.objectContaining({ who: expect.stringMatching(/^A program using .+'s access token “Research PACS sync” \(Admin\)$/), how: 'dicomweb' }),
        expect.objectContaining({ who: 'The AI model “ct-organs”', how: 'inference' }),
      ]),
    );
    expect(accesses.some((a) => a.who.includes('Radiologist') && a.requests !== 3)).toBe(false);
    const other = await callRoute(myAccessesRoute, 'GET', '/api/me/study-accesses', { session: otherPatient.session });
    // The other patient sees only the search that matched their own study.
    expect(other.json.accesses).toEqual([expect.objectContaining({ studyId: otherStudy.id, how: 'dicomweb', who: expect.stringContaining('“Worklist sync”') })]);
  });
});

describe('the admin log', () => {
  const log = (query: string) => callRoute(accessLogRoute, 'GET', `/api/admin/access-log${query}`, { session: admin.session });

  it('filters by study, reader, way, outcome and date, and pages', async () => {
    const denied = await log(`?outcome=denied&study=${study.uid}`);
    expect(denied.status).toBe(200);
    expect((denied.json.accesses as { outcome: string; studyId: string }[]).map((a) => [a.outcome, a.studyId])).toEqual([['denied', study.id]]);
    const byName = await log(`?user=${encodeURIComponent(reader.name.toUpperCase())}`);
    const readerRows = byName.json.accesses as { how: string; requests: number; user: { id: string } }[];
    expect(readerRows.every((a) => a.how === 'view' && a.user.id === reader.id)).toBe(true);
    expect(readerRows.reduce((n, a) => n + a.requests, 0)).toBe(3);
    expect((await log('?how=inference')).json.accesses).toHaveLength(1);
    expect((await log('?from=2000-01-01&to=2000-12-31')).json.accesses).toEqual([]);
    const first = await callRoute(accessLogRoute, 'GET', '/api/admin/access-log', { session: admin.session });
    const all = first.json.accesses as { id: string }[];
    expect(all.length).toBeGreaterThanOrEqual(6);
  });

  it('exports every matching row as CSV, oldest first, spreadsheet-safe', async () => {
    await getDb().user.update({ where: { id: reader.id }, data: { name: '=HYPERLINK("http://evil")' } });
    const res = await log('?format=csv&how=view');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const lines = res.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('time,outcome,how,reader,user_email,role,access_token_id,actor_ref,study_instance_uid,series_instance_uid,study_id,requests,address');
    expect(lines.slice(1).every((l) => l.includes(',view,'))).toBe(true);
    expect(lines.some((l) => l.includes(`"'=HYPERLINK(""http://evil"") (Radiologist)"`))).toBe(true);
  });

  it('refuses bad filters with the reason', async () => {
    for (const query of ['?how=peek', '?outcome=maybe', '?from=29-11-2026', '?after=not-a-row']) {
      const res = await log(query);
      expect(res.status, query).toBe(400);
    }
  });
});
