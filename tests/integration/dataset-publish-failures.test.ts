/**
 * A publication that does not finish leaves no published version: killed while de-identifying or
 * inside the transaction that records it, it resumes after a restart (reusing what was exported)
 * and is recorded once; a full disk fails it with a clear message and nothing in the ledger.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { env } from '@/lib/config/env';
import { createDataset } from '@/lib/datasets/create-dataset';
import { runPublishJob } from '@/lib/datasets/publish/run-publish-job';
import { startPublication } from '@/lib/datasets/publish/start-publication';
import { ZCreateDatasetInput } from '@/lib/datasets/schemas';
import { getDb } from '@/lib/db/client';
import { stopIpfs } from '@/lib/ipfs/get-ipfs';
import { requestCancel, requeueInterruptedJobs } from '@/lib/jobs/job-queue';
import { addProjectStudies } from '@/lib/projects/add-project-studies';
import { createProject } from '@/lib/projects/create-project';
import { ZCreateProjectInput } from '@/lib/projects/schemas';
import { ctStudyOf, decideFor, labelStudy } from '../helpers/datasets';
import { killMidTransaction } from '../helpers/kill-mid-transaction';
import { signedInUser } from '../helpers/users';

let engineerId: string;
let projectId: string;

beforeAll(async () => {
  const admin = await signedInUser(['admin']);
  engineerId = (await signedInUser(['ml_engineer'])).id;
  const reader = await signedInUser(['radiologist']);
  const reviewer = await signedInUser(['radiologist']);
  ({ id: projectId } = await createProject({ input: ZCreateProjectInput.parse({ name: 'Crash', schema: { segments: [{ value: 1, name: 'Lung', color: '#00ff00' }] }, readers: [reader.id], reviewers: [reviewer.id] }), actorId: engineerId }));
  for (let i = 0; i < 6; i++) {
    const st = await ctStudyOf(`CRASH-${i}`, admin);
    await addProjectStudies({ projectId, input: { studyIds: [st.studyId] } });
    await labelStudy({ projectId, studyId: st.studyId, seriesInstanceUid: st.seriesInstanceUid, reader, segmentValue: 1, acceptedBy: reviewer });
    await decideFor(st.patientId, admin, 'research', 'granted');
  }
});

let unique = 0;
async function newVersion() {
  const { id } = await createDataset({ input: ZCreateDatasetInput.parse({ name: `Crash ${++unique}`, projectIds: [projectId], purpose: 'research', license: 'CC-BY-4.0' }), actorId: engineerId });
  return startPublication({ datasetId: id, actorId: engineerId });
}
const publishedEntries = async () => (await getDb().ledgerEntry.findMany({ where: { type: 'dataset.published' }, select: { canonical: true } })).map((e) => e.canonical);

describe('a publication killed with SIGKILL', () => {
  for (const at of ['export', 'ledger'] as const) {
    it(`while ${at === 'export' ? 'de-identifying' : 'recording it in the ledger'} leaves nothing published, then resumes after a restart and is recorded once`, async () => {
      const { versionId, jobId } = await newVersion();
      const before = await publishedEntries();
      await killMidTransaction('tests/helpers/publish-then-hang.ts', { HANG_VERSION_ID: versionId, HANG_AT: at });
      expect(await publishedEntries()).toEqual(before);
      expect(await getDb().datasetVersion.findUniqueOrThrow({ where: { id: versionId } })).toMatchObject({ status: 'publishing', version: null, ledgerSeq: null });
      if (at === 'export') {
        // Some studies were exported before the kill: the restart reuses them.
        expect((await fs.readdir(path.join(env.dataDir, 'publish', versionId, 'studies'))).length).toBeGreaterThan(0);
      }

      // The server restarts: the job runs again.
      await getDb().job.update({ where: { id: jobId }, data: { status: 'running' } });
      await requeueInterruptedJobs();
      await runPublishJob(jobId);
      const job = await getDb().job.findUniqueOrThrow({ where: { id: jobId } });
      expect(job.status, job.error ?? '').toBe('succeeded');
      const version = await getDb().datasetVersion.findUniqueOrThrow({ where: { id: versionId } });
      expect(version).toMatchObject({ status: 'published', version: 1, studyCount: 6 });
      const after = await publishedEntries();
      expect(after.length).toBe(before.length + 1);
      expect(after.filter((e) => e.includes(versionId))).toHaveLength(1);
      await expect(fs.stat(path.join(env.dataDir, 'publish', versionId))).rejects.toThrow();
      // Like a server shutting down: the next crash test's child opens the same repository.
      await stopIpfs();
    }, 120_000);
  }
});

describe('a publication cancelled before it starts', () => {
  it('fails its version with the reason and does not block the next one', async () => {
    const { versionId, jobId } = await newVersion();
    await requestCancel(jobId);
    const datasetId = (await getDb().datasetVersion.findUniqueOrThrow({ where: { id: versionId } })).datasetId;
    const next = await startPublication({ datasetId, actorId: engineerId });
    expect(next.versionId).not.toBe(versionId);
    expect(await getDb().datasetVersion.findUniqueOrThrow({ where: { id: versionId } })).toMatchObject({ status: 'failed', error: 'Cancelled before it was published.' });
  });
});

describe('a full disk', () => {
  it('fails the publication with a clear message, leaves nothing behind and nothing in the ledger', async () => {
    const { versionId, jobId } = await newVersion();
    // The staging file the export writes after the studies goes to /dev/full: every write there fails with ENOSPC.
    const staged = path.join(env.dataDir, 'publish', versionId, 'files');
    await fs.mkdir(staged, { recursive: true });
    await fs.symlink('/dev/full', path.join(staged, 'splits.csv.part'));
    const before = await publishedEntries();
    await getDb().job.update({ where: { id: jobId }, data: { status: 'running' } });
    await runPublishJob(jobId);
    const job = await getDb().job.findUniqueOrThrow({ where: { id: jobId } });
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/disk is full/);
    expect(await getDb().datasetVersion.findUniqueOrThrow({ where: { id: versionId } })).toMatchObject({ status: 'failed', version: null, error: expect.stringMatching(/disk is full/) });
    expect(await publishedEntries()).toEqual(before);
    await expect(fs.stat(path.join(env.dataDir, 'publish', versionId))).rejects.toThrow();
    await stopIpfs();
  });
});
