/**
 * Pre-annotation with the shipped 2D model on a 300-slice 512² CT series.
 * - inference.overhead: wall time of a whole job (stack order, decoding from the blob store,
 *   preprocessing, batching, postprocessing, RLE, proposal row and ledger entry), in this process,
 *   vs the sum of bare session.run calls on the same preprocessed batches, in the same run.
 * - inference.throughput: slices/s of the job vs of the bare runs (2 cores here).
 * - inference.memory: peak RSS growth during the job vs the size of the labelmap it must hold
 *   (input slices stream: only the output grows with the series).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { entry, report } from './harness';

const SLICES = 300;
const AREA = 512 * 512;
const RUNS = 5;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cohort-bench-inference-'));
process.env.COHORT_DATA_DIR = dataDir;
process.env.DATABASE_URL = `file:${path.join(dataDir, 'cohort.db')}`;
process.env.ORT_DISABLE_TELEMETRY = '1';

const ort = await import('onnxruntime-node');
const dicomParser = (await import('dicom-parser')).default;
const { migrateDatabase } = await import('../lib/db/migrate');
const { getDb, closeDb } = await import('../lib/db/client');
const { syntheticCtSeries } = await import('../lib/dicom/synthetic-ct');
const { ingestFiles } = await import('../lib/dicom/ingest-files');
const { createUser } = await import('../lib/users/create-user');
const { createProject } = await import('../lib/projects/create-project');
const { addProjectStudies } = await import('../lib/projects/add-project-studies');
const { ZCreateProjectInput } = await import('../lib/projects/schemas');
const { enqueueJob, claimNextJob, getJob } = await import('../lib/jobs/job-queue');
const { runJob } = await import('../lib/jobs/run-job');
const { requireModel } = await import('../lib/inference/registry');
const { prepareSlice } = await import('../lib/inference/preprocess');
const { sessionFor, closeSessions } = await import('../lib/inference/session-pool');
await migrateDatabase({ databaseUrl: process.env.DATABASE_URL });

const { user } = await createUser({ input: { name: 'Bench Engineer', email: 'ml@bench.local', roles: ['ml_engineer'], password: 'bench-engineer-password' }, actorId: null, temporary: false });
const files = syntheticCtSeries({ slices: SLICES, spacing: 1.25 });
await ingestFiles(
  (async function* () {
    for (const body of files) yield { body };
  })(),
  { actorUserId: user.id },
);
const series = await getDb().series.findFirstOrThrow();
const { id: projectId } = await createProject({
  input: ZCreateProjectInput.parse({ name: 'Bench', schema: { segments: [{ value: 1, name: 'Body', color: '#f4a261' }, { value: 2, name: 'Lung', color: '#2a9d8f' }, { value: 3, name: 'Bone', color: '#e9c46a' }] } }),
  actorId: user.id,
});
await addProjectStudies({ projectId, input: { studyIds: [series.studyId] } });

const model = await requireModel('ct-body-lungs-bone');
const session = await sessionFor(model.sha256, async () => readFileSync(path.join(model.dir, model.manifest.file)));
const batch = model.manifest.preprocessing.mode.kind === 'slice2d' ? model.manifest.preprocessing.mode.batch : 1;

/** The job, as the worker runs it; returns wall ms and peak RSS growth in bytes. */
async function job(): Promise<{ ms: number; peakRss: number }> {
  const id = await enqueueJob('inference', { projectId, studyId: series.studyId, seriesInstanceUid: series.seriesInstanceUid, modelName: model.name }, user.id, { projectId });
  if ((await claimNextJob()) !== id) throw new Error('claim failed');
  global.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const t = performance.now();
  await runJob(id);
  const ms = performance.now() - t;
  clearInterval(sampler);
  const done = await getJob(id);
  if (done.status !== 'succeeded') throw new Error(`job ${done.status}: ${done.error}`);
  return { ms, peakRss: peak - base };
}

/** Each file's pixels as stored samples, found once: the baseline's loop allocates nothing (a GC would land in its timings). */
const stored = files.map((file) => {
  const el = dicomParser.parseDicom(file).elements.x7fe00010!;
  return new Int16Array(file.slice(el.dataOffset, el.dataOffset + el.length).buffer);
});

/**
 * The same slices through session.run alone: each batch preprocessed (untimed) into one reused
 * buffer just before its run, as the job does, so both read inputs as warm in the cache; the sum of
 * the run times.
 */
async function bare(): Promise<number> {
  const input = new Float32Array(batch * AREA);
  let total = 0;
  for (let start = 0; start < SLICES; start += batch) {
    const n = Math.min(batch, SLICES - start);
    for (let k = 0; k < n; k++) prepareSlice({ samples: stored[start + k]!, rows: 512, columns: 512, slope: 1, intercept: -1024 }, model.manifest, input.subarray(k * AREA, (k + 1) * AREA));
    const t = performance.now();
    const out = await session.run({ [model.manifest.input.name]: new ort.Tensor('float32', input.subarray(0, n * AREA), [n, 1, 512, 512]) });
    total += performance.now() - t;
    for (const o of Object.values(out)) o.dispose();
  }
  return total;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
await job(); // warm-up: sessions, caches
const jobs: { ms: number; peakRss: number }[] = [];
const bares: number[] = [];
for (let i = 0; i < RUNS; i++) {
  jobs.push(await job());
  bares.push(await bare());
}
const jobMs = median(jobs.map((j) => j.ms));
const bareMs = median(bares);
const peakRss = Math.max(...jobs.map((j) => j.peakRss));

await closeSessions();
await closeDb();
rmSync(dataDir, { recursive: true, force: true });
const MiB = 1024 * 1024;
report([
  entry('inference.overhead', 'ms', jobMs, 'sum of bare session.run on the same preprocessed batches', bareMs),
  entry('inference.throughput', 'slices/s', (SLICES * 1000) / jobMs, 'bare session.run slices/s', (SLICES * 1000) / bareMs),
  entry('inference.memory', 'MiB', peakRss / MiB, 'the 300-slice labelmap the job holds', (SLICES * AREA) / MiB),
]);
