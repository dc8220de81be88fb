/**
 * publish.throughput: MB/s publishing a ~1 GiB private dataset version (16 CT studies × 128 slices of
 * 512² int16, each with an accepted labelmap: de-identification, DICOM-SEG, encryption, manifest, IPFS
 * add and pin, ledger) vs Helia's raw add and pin of the same published bytes in the same run (goal
 * ≥ 0.5×), and vs Cohort's own add of them (how far the export's work is from the IPFS floor); each
 * the median of three rounds.
 * pull.throughput: MB/s pulling and verifying that version on a second node over loopback (bitswap,
 * every file's CID and SHA-256, the manifest signature and proofs, decryption) vs a raw bitswap fetch
 * of the same files by a third node. Goal ≥ 0.5×.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CID } from 'multiformats/cid';
import { entry, median, report } from './harness';

const STUDIES = Number(process.env.BENCH_PUBLISH_STUDIES ?? 16);
const SLICES = 128;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cohort-bench-'));
process.env.COHORT_DATA_DIR = dataDir;
process.env.DATABASE_URL = `file:${path.join(dataDir, 'bench.db')}`;

const { migrateDatabase } = await import('../lib/db/migrate');
const { closeDb } = await import('../lib/db/client');
const { createUser } = await import('../lib/users/create-user');
const { createProject } = await import('../lib/projects/create-project');
const { addProjectStudies } = await import('../lib/projects/add-project-studies');
const { ZCreateProjectInput } = await import('../lib/projects/schemas');
const { createDataset } = await import('../lib/datasets/create-dataset');
const { ZCreateDatasetInput } = await import('../lib/datasets/schemas');
const { startPublication } = await import('../lib/datasets/publish/start-publication');
const { publishVersion } = await import('../lib/datasets/publish/run-publish-job');
type PublishResult = Awaited<ReturnType<typeof publishVersion>>;
const { getVersionKey } = await import('../lib/datasets/get-version-key');
const { pullDataset } = await import('../lib/datasets/pull/pull-dataset');
const { getIpfs, stopIpfs } = await import('../lib/ipfs/get-ipfs');
const { createTemporaryHeliaNode } = await import('../lib/ipfs/create-helia-node');
const { ctStudyOf, decideFor, labelStudy } = await import('../tests/helpers/datasets');
const { UNIXFS_IMPORT_OPTIONS } = await import('../lib/ipfs/unixfs-profile');
const { unixfs } = await import('@helia/unixfs');

await migrateDatabase({ databaseUrl: process.env.DATABASE_URL });
const user = async (roles: ('admin' | 'radiologist' | 'ml_engineer')[], n: number) =>
  (await createUser({ input: { name: `Bench ${n}`, email: `bench${n}@bench.local`, roles, password: `bench-password-${n}` }, actorId: null, temporary: false })).user;
const admin = await user(['admin'], 1);
const reader = await user(['radiologist'], 2);
const reviewer = await user(['radiologist'], 3);
const engineer = await user(['ml_engineer'], 4);
const { id: projectId } = await createProject({
  input: ZCreateProjectInput.parse({ name: 'Bench', schema: { segments: [{ value: 1, name: 'Lung', color: '#00ff00' }] }, readers: [reader.id], reviewers: [reviewer.id] }),
  actorId: engineer.id,
});
for (let i = 0; i < STUDIES; i++) {
  const st = await ctStudyOf(`BENCH-${i}`, admin, { slices: SLICES });
  await addProjectStudies({ projectId, input: { studyIds: [st.studyId] } });
  await labelStudy({ projectId, studyId: st.studyId, seriesInstanceUid: st.seriesInstanceUid, reader, segmentValue: 1, slices: SLICES, acceptedBy: reviewer });
  await decideFor(st.patientId, admin, 'research', 'granted');
}
const { id: datasetId } = await createDataset({ input: ZCreateDatasetInput.parse({ name: 'Bench', projectIds: [projectId], purpose: 'research', license: 'CC-BY-4.0' }), actorId: engineer.id });
const ipfs = await getIpfs();

// Three rounds, each a whole publication of a new version (ours) and then both adds of the first
// version's bytes (the baselines), so that this VM's drift from minute to minute reaches both sides
// alike; each figure is the median of its three.
//
// Ours: the whole publication. Baselines: the same published bytes, read back into memory and added
// to a fresh node. First as Helia itself adds and pins ("Helia's raw add": @helia/unixfs addAll, then
// pins.add with its default walker, which reads every block back); then through Cohort's own add (the
// same importer, a pin that only checks the leaves are stored): the floor any publication sits on.
const ROUNDS = 3;
const rounds: { publishSeconds: number; mib: number; heliaAddSeconds: number; ownAddSeconds: number }[] = [];
const outDir = path.join(dataDir, 'pulled-raw');
let first: PublishResult | undefined;
let files: { path: string; bytes: Buffer }[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const { versionId } = await startPublication({ datasetId, actorId: engineer.id });
  const started = performance.now();
  let last = performance.now();
  let lastMessage = 'start';
  const published = await publishVersion(versionId, async (_f, message) => {
    if (process.env.BENCH_PHASES && message.replace(/\d+/g, '') !== lastMessage.replace(/\d+/g, '')) {
      process.stderr.write(`${lastMessage}: ${(performance.now() - last).toFixed(0)} ms\n`);
      last = performance.now();
      lastMessage = message;
    }
  });
  const publishSeconds = (performance.now() - started) / 1000;
  if (!first) {
    first = published;
    for await (const f of walk(ipfs, published.rootCid, '')) files.push(f);
  }
  rounds.push({ publishSeconds, mib: published.bytes / 1024 ** 2, heliaAddSeconds: await heliaAdd(files, first.rootCid), ownAddSeconds: await ownAdd(files) });
  process.stderr.write(`round ${round + 1}: published ${published.studies} studies, ${published.files} files, ${(published.bytes / 1024 ** 2).toFixed(0)} MiB in ${publishSeconds.toFixed(1)} s; Helia's add ${rounds.at(-1)!.heliaAddSeconds.toFixed(1)} s, ours ${rounds.at(-1)!.ownAddSeconds.toFixed(1)} s\n`);
}
const mib = first!.bytes / 1024 ** 2;
const publishMiBps = median(rounds.map((r) => r.mib / r.publishSeconds));
const heliaAddMiBps = median(rounds.map((r) => mib / r.heliaAddSeconds));
const ownAddMiBps = median(rounds.map((r) => mib / r.ownAddSeconds));
// The first version is the one pulled; its bytes in memory are not needed any more.
const published = first!;
files = [];

// Pull + verify on a second node vs raw bitswap fetch by a third.
const [address] = (await ipfs.info()).multiaddrs;
const key = await getVersionKey(published.versionId);
const puller = await createTemporaryHeliaNode({ timeoutMs: 30_000, peers: [address!] });
let started = performance.now();
const pulled = await pullDataset({ ipfs: puller, cid: published.rootCid, out: outDir, key });
const pullSeconds = (performance.now() - started) / 1000;
await puller.stop();
if (!pulled.ok) throw new Error(`pull failed: ${pulled.problems.join('; ')}`);
const fetcher = await createTemporaryHeliaNode({ timeoutMs: 30_000, peers: [address!] });
started = performance.now();
let fetched = 0;
for await (const f of walk(fetcher, published.rootCid, '')) fetched += f.bytes.length;
const fetchSeconds = (performance.now() - started) / 1000;
await fetcher.stop();

report([
  entry('publish.throughput', 'MiB/s', publishMiBps, `Helia's raw add and pin (@helia/unixfs addAll + pins.add) of the same ${Math.round(mib)} MiB (medians of ${ROUNDS} rounds)`, heliaAddMiBps),
  entry('publish.throughput', 'MiB/s', publishMiBps, `Cohort's own add and pin of the same ${Math.round(mib)} MiB (the IPFS part alone; medians of ${ROUNDS} rounds)`, ownAddMiBps),
  entry('pull.throughput', 'MiB/s', mib / pullSeconds, `raw bitswap fetch of the same ${Math.round(fetched / 1024 ** 2)} MiB`, fetched / 1024 ** 2 / fetchSeconds),
]);
process.stderr.write(`pulled ${pulled.files} files in ${pullSeconds.toFixed(1)} s\n`);

await stopIpfs();
await closeDb();
rmSync(dataDir, { recursive: true, force: true });

/** Seconds for Helia's own add and pin of `files` into a fresh node (which must make `rootCid`: the same bytes). */
async function heliaAdd(files: { path: string; bytes: Buffer }[], rootCid: string): Promise<number> {
  const node = await createTemporaryHeliaNode({ timeoutMs: 30_000 });
  const started = performance.now();
  let root: CID | undefined;
  for await (const e of unixfs(node.helia).addAll(files.map((f) => ({ path: f.path, content: f.bytes })), UNIXFS_IMPORT_OPTIONS)) root = e.cid;
  for await (const _ of node.helia.pins.add(root!)) void _;
  const seconds = (performance.now() - started) / 1000;
  await node.stop();
  if (root?.toString() !== rootCid) throw new Error(`Helia's add made ${root}, the publication ${rootCid}: not the same bytes`);
  return seconds;
}

/** Seconds for Cohort's own add and pin of `files` into a fresh node. */
async function ownAdd(files: { path: string; bytes: Buffer }[]): Promise<number> {
  const node = await createTemporaryHeliaNode({ timeoutMs: 30_000 });
  const started = performance.now();
  await node.addDirectory(files.map((f) => ({ path: f.path, content: f.bytes })), { pin: true });
  const seconds = (performance.now() - started) / 1000;
  await node.stop();
  return seconds;
}

/** Every file under a UnixFS directory, with its bytes (sequentially, as a simple client would). */
async function* walk(node: typeof ipfs, root: string, dir: string): AsyncGenerator<{ path: string; bytes: Buffer }> {
  for (const e of await node.ls(root, dir || undefined)) {
    const p = dir ? `${dir}/${e.name}` : e.name;
    if (e.type === 'directory') yield* walk(node, root, p);
    else {
      const chunks: Uint8Array[] = [];
      for await (const c of node.cat(root, { path: p })) chunks.push(c);
      yield { path: p, bytes: Buffer.concat(chunks) };
    }
  }
}
