/**
 * Import from a PACS, against a real Orthanc (Debian's orthanc + orthanc-dicomweb) seeded with real
 * files: QIDO search, a background import with progress, byte-for-byte copies, answers that agree
 * with Orthanc's, and the failures a hospital network produces (wrong password, unreachable, slow).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as importsRoute from '@/app/api/admin/pacs/imports/route';
import * as resumeRoute from '@/app/api/admin/pacs/imports/[jobId]/resume/route';
import * as searchRoute from '@/app/api/admin/pacs/search/route';
import * as studiesRoute from '@/app/dicomweb/studies/route';
import { getDb } from '@/lib/db/client';
import { searchRemoteStudies } from '@/lib/pacs/dicomweb-client';
import { markInterruptedImports } from '@/lib/pacs/run-import-job';
import { callRoute, signInOrThrow, type Session } from '../helpers/api';
import { samplesUnder } from '../helpers/dicom-samples';
import { freePort, startOrthanc, type Orthanc } from '../helpers/orthanc';
import { makeUser } from '../helpers/users';

const USER = { name: 'cohort', password: 'pacs-secret' };
const MR700 = samplesUnder('valid/pydicom/dicomdirtests/98892003/MR700');
const CT2 = samplesUnder('valid/pydicom/dicomdirtests/77654033/CT2');
let orthanc: Orthanc;
let admin: Session;
let source: { baseUrl: string; auth: { kind: 'basic'; user: string; password: string } };

beforeAll(async () => {
  orthanc = await startOrthanc({ user: USER });
  await orthanc.upload([...MR700, ...CT2]);
  const user = await makeUser(['admin']);
  admin = await signInOrThrow(user.email, user.password);
  source = { baseUrl: orthanc.dicomWebUrl, auth: { kind: 'basic', ...{ user: USER.name, password: USER.password } } };
}, 60_000);
afterAll(async () => orthanc?.stop());

const post = (mod: Record<string, unknown>, path: string, body: unknown, params?: Record<string, string>) =>
  callRoute(mod, 'POST', path, { session: admin, body, ...(params ? { params } : {}) });
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

async function waitForJob(id: string) {
  for (let i = 0; i < 300; i++) {
    const { json } = await callRoute(importsRoute, 'GET', '/api/admin/pacs/imports', { session: admin });
    const job = (json.jobs as { id: string; status: string }[]).find((j) => j.id === id)!;
    if (job.status !== 'running' && job.status !== 'queued') return job as Record<string, unknown>;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the import did not finish');
}

describe('import from a PACS (Orthanc)', () => {
  it('searches the PACS, imports the chosen studies byte for byte, and then answers as Orthanc does', async () => {
    const found = await post(searchRoute, '/api/admin/pacs/search', { source, query: { patientName: 'Doe' } });
    expect(found.status).toBe(200);
    const studies = found.json.studies as { studyInstanceUid: string; patientName: string; instances: number; modalities: string[] }[];
    expect(studies.map((s) => [s.patientName, s.instances]).sort()).toEqual([
      ['Doe^Archibald', 4],
      ['Doe^Peter', 7],
    ]);

    const started = await post(importsRoute, '/api/admin/pacs/imports', { source, studyInstanceUids: studies.map((s) => s.studyInstanceUid) });
    expect(started.status).toBe(202);
    const job = await waitForJob((started.json.job as { id: string }).id);
    expect(job).toMatchObject({ status: 'done', studiesDone: 2, instancesStored: 11, instancesRejected: 0 });
    for (const file of [...MR700, ...CT2]) expect(await getDb().instance.count({ where: { sha256: sha(file) } }), file).toBe(1);

    // Cohort's QIDO answer for the study matches Orthanc's on the attributes both must give.
    const uid = studies.find((s) => s.patientName === 'Doe^Peter')!.studyInstanceUid;
    const ours = ((await callRoute(studiesRoute, 'GET', `/dicomweb/studies?StudyInstanceUID=${uid}`, { session: admin })).json as unknown as Record<string, unknown>[])[0]!;
    const theirs = (await (await fetch(`${orthanc.dicomWebUrl}/studies?StudyInstanceUID=${uid}`, { headers: { authorization: orthanc.authorization! } })).json())[0];
    for (const tag of ['0020000D', '00100010', '00100020', '00080020', '00080030', '00080050', '00080061', '00201206', '00201208']) {
      expect(JSON.stringify((ours[tag] as { Value?: unknown[] })?.Value ?? []), tag).toBe(JSON.stringify(theirs[tag]?.Value?.map((v: unknown) => (typeof v === 'string' && /^\d+$/.test(v) && tag.startsWith('0020120') ? Number(v) : v)) ?? []));
    }

    // Again: nothing new, all duplicates.
    const again = await post(importsRoute, '/api/admin/pacs/imports', { source, studyInstanceUids: [uid] });
    expect(await waitForJob((again.json.job as { id: string }).id)).toMatchObject({ status: 'done', instancesStored: 0, instancesDuplicate: 7 });
  });

  it('says so when the PACS refuses the credentials, cannot be reached, or does not answer', async () => {
    const wrong = await post(searchRoute, '/api/admin/pacs/search', { source: { ...source, auth: { kind: 'basic', user: 'cohort', password: 'wrong' } }, query: {} });
    expect(wrong.status).toBe(502);
    expect(wrong.json.message).toMatch(/refused the credentials \(401\)/);

    const nobody = await post(searchRoute, '/api/admin/pacs/search', { source: { baseUrl: `http://127.0.0.1:${await freePort()}/dicom-web`, auth: { kind: 'none' } }, query: {} });
    expect(nobody.status).toBe(502);
    expect(nobody.json.message).toMatch(/cannot be reached \(ECONNREFUSED\)/);

    const silent = http.createServer(() => {}); // accepts, never answers
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const started = Date.now();
    const slow = searchRemoteStudies(
      { baseUrl: `http://127.0.0.1:${(silent.address() as { port: number }).port}/dicom-web`, auth: { kind: 'none' } },
      { limit: 10 },
      { timeoutMs: 300, retries: 1 },
    );
    await expect(slow).rejects.toThrow(/did not answer within 0 s|did not answer within/);
    expect(Date.now() - started).toBeLessThan(5_000);
    silent.closeAllConnections();
    silent.close();

    expect((await post(searchRoute, '/api/admin/pacs/search', { source: { baseUrl: 'ftp://pacs' }, query: {} })).status).toBe(400);
  });

  it('stops a job on a study the PACS does not have, and resumes an interrupted one', async () => {
    const missing = await post(importsRoute, '/api/admin/pacs/imports', { source, studyInstanceUids: ['1.2.3.4.5.6.7'] });
    expect(await waitForJob((missing.json.job as { id: string }).id)).toMatchObject({ status: 'failed', error: expect.stringMatching(/does not have that study/) });

    const found = (await post(searchRoute, '/api/admin/pacs/search', { source, query: { patientName: 'Doe' } })).json.studies as { studyInstanceUid: string }[];
    const job = await getDb().importJob.create({
      data: { sourceUrl: source.baseUrl, studyUids: JSON.stringify(found.map((s) => s.studyInstanceUid)), studiesTotal: found.length, status: 'running', createdById: null },
    });
    expect(await markInterruptedImports()).toBeGreaterThanOrEqual(1); // as at start-up after a crash
    expect((await getDb().importJob.findUniqueOrThrow({ where: { id: job.id } })).status).toBe('interrupted');
    // Two resumes at once: one starts the job, the other is told it already has; a poll right after
    // sees the job under way, never still interrupted.
    const resumes = await Promise.all([1, 2].map(() => post(resumeRoute, `/api/admin/pacs/imports/${job.id}/resume`, { source }, { jobId: job.id })));
    expect(resumes.map((r) => r.status).sort()).toEqual([202, 409]);
    expect(['queued', 'running']).toContain((await getDb().importJob.findUniqueOrThrow({ where: { id: job.id } })).status);
    expect(await waitForJob(job.id)).toMatchObject({ status: 'done', studiesDone: 2, instancesDuplicate: 11 });
  });
});
