/**
 * access_log.overhead: WADO-RS RetrieveSeries of a 300-instance CT series through Cohort's real route
 * (session check, study check, access log) vs the same route assembled without the access log, in the
 * same process, alternating runs, each response read to its last byte.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { entry, report } from './harness';

const INSTANCES = 300;
const RUNS = 9;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cohort-bench-access-log-'));
process.env.COHORT_DATA_DIR = dataDir;
process.env.DATABASE_URL = `file:${path.join(dataDir, 'cohort.db')}`;

const { migrateDatabase } = await import('../lib/db/migrate');
const { closeDb, getDb } = await import('../lib/db/client');
const { ingestFiles } = await import('../lib/dicom/ingest-files');
const { syntheticCtSeries } = await import('../lib/dicom/synthetic-ct');
const { withAuth } = await import('../lib/http/with-auth');
const { requireStudyAccess } = await import('../lib/projects/study-access');
const { retrieveInstances } = await import('../lib/dicomweb/wado-rs');
const { DICOMWEB_READ } = await import('../lib/dicomweb/dicomweb-access');
const { flushAccessLog } = await import('../lib/access-log/record-access');
const seriesRoute = await import('../app/dicomweb/studies/[study]/series/[series]/route');
const { signInOrThrow, ORIGIN } = await import('../tests/helpers/api');
const { makeUser } = await import('../tests/helpers/users');
await migrateDatabase({ databaseUrl: process.env.DATABASE_URL });

const admin = await makeUser(['admin']);
const files = syntheticCtSeries({ slices: INSTANCES });
await ingestFiles((async function* () { for (const body of files) yield { body }; })(), { actorUserId: admin.id });
const series = await getDb().series.findFirstOrThrow({ include: { study: true } });
const params = { study: series.study.studyInstanceUid, series: series.seriesInstanceUid };
const session = await signInOrThrow(admin.email, admin.password);

const logged = seriesRoute.GET;
// The route as it was before the access log: the same wrapper and checks, nothing recorded.
const unlogged = withAuth<typeof params>(async ({ user }) => {
  await requireStudyAccess(user, { studyInstanceUid: params.study });
  return retrieveInstances(params);
}, DICOMWEB_READ);

async function retrieve(handler: typeof logged): Promise<number> {
  const req = new Request(`${ORIGIN}/dicomweb/studies/${params.study}/series/${params.series}`, { headers: { cookie: session.cookie, accept: 'multipart/related; type="application/dicom"' } });
  const res = await handler(req, { params: Promise.resolve(params) });
  if (res.status !== 200) throw new Error(`retrieve failed: ${res.status} ${await res.text()}`);
  const reader = res.body!.getReader();
  let bytes = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) bytes += chunk.value.length;
  return bytes;
}

const bytes = await retrieve(logged); // warm up both paths
await retrieve(unlogged);
const times = { logged: [] as number[], unlogged: [] as number[] };
for (let i = 0; i < RUNS; i++) {
  for (const [name, handler] of [['logged', logged], ['unlogged', unlogged]] as const) {
    const t = performance.now();
    await retrieve(handler);
    times[name].push(performance.now() - t);
  }
}
await flushAccessLog();
const rows = await getDb().studyAccess.count();
if (rows === 0) throw new Error('the logged route wrote no access log row');
await closeDb();
rmSync(dataDir, { recursive: true, force: true });

const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const MiB = 1024 * 1024;
report([
  entry(
    `access_log.overhead: WADO-RS RetrieveSeries of ${INSTANCES} instances with the access log`,
    'MiB/s',
    bytes / MiB / (median(times.logged) / 1000),
    'the same route without the access log',
    bytes / MiB / (median(times.unlogged) / 1000),
  ),
]);
