/**
 * Share links: a patient makes an expiring, revocable link to one study; whoever holds it reads that
 * study (and only it) through /s/<token> without an account; every use is logged; forged, expired and
 * withdrawn links all get the same answer; a burst from many addresses is throttled; making and
 * withdrawing a link are PHI-free ledger entries.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as linksRoute from '@/app/api/me/share-links/route';
import * as linkRoute from '@/app/api/me/share-links/[linkId]/route';
import * as downloadRoute from '@/app/s/[token]/download/route';
import * as picturesRoute from '@/app/s/[token]/pictures/route';
import * as metadataRoute from '@/app/s/[token]/dicomweb/studies/[study]/series/[series]/metadata/route';
import * as framesRoute from '@/app/s/[token]/dicomweb/studies/[study]/series/[series]/instances/[instance]/frames/[frames]/route';
import { findMyStudyAccesses } from '@/lib/access-log/find-my-study-accesses';
import { flushAccessLog } from '@/lib/access-log/record-access';
import { getDb } from '@/lib/db/client';
import { ingestFiles } from '@/lib/dicom/ingest-files';
import { syntheticCtSeries } from '@/lib/dicom/synthetic-ct';
import { SHARE_LIMITS } from '@/lib/share-links/share-rate-limit';
import { MAX_ACTIVE_LINKS_PER_STUDY } from '@/lib/share-links/create-share-link';
import { callRoute, ORIGIN, type Session } from '../helpers/api';
import { signedInUser } from '../helpers/users';

let patient: { id: string; session: Session };
let other: { id: string; session: Session };
const study = { id: '', uid: '', series: '', instance: '' };
const elsewhere = { id: '', uid: '', series: '' };

async function ingest(id: string) {
  const files = syntheticCtSeries({ slices: 2, patient: { name: `Share^${id}`, id, birthDate: '19800101', sex: 'F' }, accessionNumber: `SH-${id}` });
  const admin = await signedInUser(['admin']);
  await ingestFiles((async function* () { for (const body of files) yield { body }; })(), { actorUserId: admin.id });
  const row = await getDb().study.findFirstOrThrow({ where: { patient: { patientKey: id } }, include: { series: { include: { instances: true } } } });
  return { id: row.id, uid: row.studyInstanceUid, series: row.series[0]!.seriesInstanceUid, instance: row.series[0]!.instances[0]!.sopInstanceUid, patientId: row.patientId };
}

const make = (body: unknown, session = patient.session) => callRoute(linksRoute, 'POST', '/api/me/share-links', { session, body });
type StudyRef = { uid: string; series: string };
const path = (token: string, s: StudyRef = study) => ({ token, study: s.uid, series: s.series });
let address = 0;
const from = (ip = `10.77.0.${++address}`) => ({ 'x-forwarded-for': ip });
const metadata = (token: string, s: StudyRef = study, headers = from('10.77.1.1')) =>
  callRoute(metadataRoute, 'GET', `/s/${token}/dicomweb/studies/${s.uid}/series/${s.series}/metadata`, { params: path(token, s), headers });

beforeAll(async () => {
  const a = await ingest('SHARE-ANA');
  Object.assign(study, a);
  const b = await ingest('SHARE-BEN');
  Object.assign(elsewhere, b);
  patient = await signedInUser(['patient']);
  await getDb().patientLink.create({ data: { patientId: a.patientId, userId: patient.id } });
  other = await signedInUser(['patient']);
  await getDb().patientLink.create({ data: { patientId: b.patientId, userId: other.id } });
});

describe('making a link', () => {
  it('gives the link once, keeps only its hash, and records a PHI-free ledger entry', async () => {
    const res = await make({ studyId: study.id, expiresInDays: 7, label: 'Dr. Silva, second opinion' });
    expect(res.status).toBe(201);
    const token = (res.json.path as string).slice('/s/'.length);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const row = await getDb().shareLink.findUniqueOrThrow({ where: { id: (res.json.link as { id: string }).id } });
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(7 * 24 * 3600 * 1000);
    const entry = await getDb().ledgerEntry.findFirstOrThrow({ where: { type: 'share_link.created' }, orderBy: { seq: 'desc' } });
    expect(entry.canonical).toContain(row.id);
    expect(entry.canonical).toMatch(/"s_[a-z2-7]{26}"/);
    for (const secret of [token, 'Silva', study.uid, 'SHARE-ANA', patient.id]) expect(entry.canonical).not.toContain(secret);
    const list = await callRoute(linksRoute, 'GET', '/api/me/share-links', { session: patient.session });
    expect(list.json.links).toEqual([expect.objectContaining({ id: row.id, studyId: study.id, label: 'Dr. Silva, second opinion', status: 'active', lastUsedAt: null })]);
  });

  it('refuses bad input and other patients’ studies, and caps the live links of a study', async () => {
    expect((await make({ studyId: study.id, expiresInDays: 5 })).status).toBe(400);
    expect((await make({ studyId: study.id, expiresInDays: 7, label: 'x'.repeat(81) })).status).toBe(400);
    const broken = await callRoute(linksRoute, 'POST', '/api/me/share-links', { session: patient.session, rawBody: '{"studyId":', headers: { 'content-type': 'application/json' } });
    expect(broken.status).toBe(400);
    expect((await make({ studyId: elsewhere.id, expiresInDays: 7 })).status).toBe(404);
    const before = await getDb().shareLink.count();
    for (let i = 1; i < MAX_ACTIVE_LINKS_PER_STUDY; i++) expect((await make({ studyId: study.id, expiresInDays: 1 })).status).toBe(201);
    const over = await make({ studyId: study.id, expiresInDays: 1 });
    expect(over.status).toBe(409);
    expect(await getDb().shareLink.count()).toBe(before + MAX_ACTIVE_LINKS_PER_STUDY - 1);
    await getDb().shareLink.updateMany({ where: { studyId: study.id, label: '' }, data: { revokedAt: new Date() } });
  });
});

describe('using a link', () => {
  let token = '';
  let linkId = '';
  beforeAll(async () => {
    const res = await make({ studyId: study.id, expiresInDays: 1, label: 'GP' });
    token = (res.json.path as string).slice(3);
    linkId = (res.json.link as { id: string }).id;
  });

  it('opens the study without an account: metadata, frames and the zip, each use logged', async () => {
    const meta = await metadata(token);
    expect(meta.status).toBe(200);
    expect((meta.json as unknown as unknown[]).length).toBe(2);
    const frames = await callRoute(framesRoute, 'GET', '/x', { params: { ...path(token), instance: study.instance, frames: '1' }, headers: { ...from('10.77.1.1'), accept: 'multipart/related; type="application/octet-stream"' } });
    expect(frames.status).toBe(200);
    const zip = await downloadRoute.GET(new Request(`${ORIGIN}/s/${token}/download`, { headers: from('10.77.1.1') }), { params: Promise.resolve({ token }) });
    expect(zip.status).toBe(200);
    expect((await zip.arrayBuffer()).byteLength).toBe(Number(zip.headers.get('content-length')));
    const pictures = await picturesRoute.GET(new Request(`${ORIGIN}/s/${token}/pictures`, { headers: from('10.77.1.1') }), { params: Promise.resolve({ token }) });
    expect(pictures.status).toBe(200);
    expect(pictures.headers.get('content-type')).toBe('application/zip');
    await pictures.arrayBuffer();
    await flushAccessLog();
    const rows = await getDb().studyAccess.findMany({ where: { actor: 'share_link', actorRef: linkId } });
    // Identical reads within a flush interval share a row that counts them: compare the counts.
    expect(rows.every((r) => r.outcome === 'allowed' && r.studyId === study.id)).toBe(true);
    const requests = (how: string) => rows.filter((r) => r.how === how).reduce((n, r) => n + r.requests, 0);
    expect([requests('view'), requests('download')]).toEqual([2, 2]);
    const mine = await findMyStudyAccesses(patient.id);
    expect(mine).toEqual(expect.arrayContaining([expect.objectContaining({ who: 'Someone with your share link “GP”', how: 'download' })]));
    expect((await getDb().shareLink.findUniqueOrThrow({ where: { id: linkId } })).lastUsedAt).not.toBeNull();
  });

  it('opens nothing else: another study through the link answers like a forged link', async () => {
    const forged = await metadata('A'.repeat(43));
    const malformed = await metadata('short');
    const otherStudy = await metadata(token, elsewhere);
    for (const res of [forged, malformed, otherStudy]) {
      expect(res.status).toBe(404);
      expect(res.json).toEqual(forged.json);
    }
    expect(JSON.stringify(otherStudy.json)).not.toContain(elsewhere.uid);
  });

  it('throttles a burst from many addresses, and keeps serving the addresses already in', async () => {
    const res = await make({ studyId: study.id, expiresInDays: 1, label: 'posted publicly' });
    const busy = (res.json.path as string).slice(3);
    const statuses: number[] = [];
    for (let i = 0; i < SHARE_LIMITS.addressesPer10Minutes + 3; i++) statuses.push((await metadata(busy, study, from(`10.88.0.${i}`))).status);
    expect(statuses.slice(0, SHARE_LIMITS.addressesPer10Minutes).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(SHARE_LIMITS.addressesPer10Minutes).every((s) => s === 429)).toBe(true);
    expect((await metadata(busy, study, from('10.88.0.0'))).status).toBe(200);
  });

  it('stops working once withdrawn (ledger entry) or expired, with the same answer as a forged link', async () => {
    const forged = await metadata('B'.repeat(43));
    expect((await callRoute(linkRoute, 'DELETE', '/x', { session: other.session, params: { linkId } })).status).toBe(404);
    const revoked = await callRoute(linkRoute, 'DELETE', '/x', { session: patient.session, params: { linkId } });
    expect(revoked.status).toBe(200);
    expect((revoked.json.link as { status: string }).status).toBe('revoked');
    const after = await metadata(token);
    expect(after.status).toBe(404);
    expect(after.json).toEqual(forged.json);
    const entry = await getDb().ledgerEntry.findFirstOrThrow({ where: { type: 'share_link.revoked' }, orderBy: { seq: 'desc' } });
    expect(entry.canonical).toContain(linkId);
    // Withdrawing twice changes nothing more.
    expect((await callRoute(linkRoute, 'DELETE', '/x', { session: patient.session, params: { linkId } })).status).toBe(200);
    expect(await getDb().ledgerEntry.count({ where: { type: 'share_link.revoked', canonical: { contains: linkId } } })).toBe(1);

    const res = await make({ studyId: study.id, expiresInDays: 1 });
    const expiring = (res.json.path as string).slice(3);
    expect((await metadata(expiring)).status).toBe(200);
    await getDb().shareLink.update({ where: { id: (res.json.link as { id: string }).id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await metadata(expiring);
    expect(expired.status).toBe(404);
    expect(expired.json).toEqual(forged.json);
    await flushAccessLog();
    expect(await getDb().studyAccess.count({ where: { actor: 'share_link', actorRef: linkId, outcome: 'denied' } })).toBeGreaterThan(0);
  });
});
