/**
 * Publishing a dataset version end to end on real blocks: consented, accepted studies de-identified
 * into DICOM + DICOM-SEG + labels, encrypted, a signed manifest with consent proofs, added to the
 * embedded IPFS node and pinned, one `dataset.published` entry; consent revoked mid-publication
 * keeps the study out; nothing eligible, a tampered manifest, a forged proof and a wrong key fail.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020';
import dicomParser from 'dicom-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as versionsRoute from '@/app/api/datasets/[datasetId]/versions/route';
import * as keyRoute from '@/app/api/dataset-versions/[versionId]/key/route';
import * as creditRoute from '@/app/api/account/credit/route';
import { createDataset } from '@/lib/datasets/create-dataset';
import { decryptFile } from '@/lib/datasets/export/file-encryption';
import { verifyManifest } from '@/lib/datasets/manifest/verify-manifest';
import type { Manifest } from '@/lib/datasets/manifest/manifest-schema';
import { publishVersion, runPublishJob } from '@/lib/datasets/publish/run-publish-job';
import { ZCreateDatasetInput } from '@/lib/datasets/schemas';
import { getDb } from '@/lib/db/client';
import { env } from '@/lib/config/env';
import { getIpfs, stopIpfs } from '@/lib/ipfs/get-ipfs';
import { getLogKey } from '@/lib/ledger/log-key';
import { addProjectStudies } from '@/lib/projects/add-project-studies';
import { createProject } from '@/lib/projects/create-project';
import { ZCreateProjectInput } from '@/lib/projects/schemas';
import { startPublication } from '@/lib/datasets/publish/start-publication';
import { claimPatient } from '@/lib/patients/claim-patient';
import { issueClaimCode } from '@/lib/patients/issue-claim-code';
import * as myStudiesRoute from '@/app/api/me/studies/route';
import * as revocationsRoute from '@/app/api/dataset-revocations/[cid]/route';
import type { VersionRevocations } from '@/lib/datasets/find-version-revocations';
import { checkRevocations } from '@/lib/datasets/pull/check-revocations';
import { pullDataset } from '@/lib/datasets/pull/pull-dataset';
import { openPullSource } from '@/lib/datasets/pull/pull-source';
import { callRoute, type Session } from '../helpers/api';
import { ctStudyOf, decideFor, labelStudy } from '../helpers/datasets';
import { startGatewayServer } from '../helpers/gateway-server';
import { signedInUser } from '../helpers/users';

const execFileAsync = promisify(execFile);

const SCHEMA = {
  segments: [{ value: 1, name: 'Lung', color: '#00ff00' }],
  questions: [{ id: 'finding', question: 'Finding', level: 'study', choices: [{ id: 'normal', label: 'Normal' }, { id: 'abnormal', label: 'Abnormal' }] }],
};

let admin: { id: string; session: Session };
let engineer: { id: string; session: Session };
let projectId: string;
const patients: Record<string, string> = {};
/** What every reader saved (the same voxels on each study): value 1 in a run of the first slice. */
let savedVoxels: Uint8Array;

async function bytesOf(cid: string, path: string) {
  const chunks: Uint8Array[] = [];
  for await (const c of (await getIpfs()).cat(cid, { path })) chunks.push(c);
  return Buffer.concat(chunks);
}

beforeAll(async () => {
  admin = await signedInUser(['admin']);
  engineer = await signedInUser(['ml_engineer']);
  const reader = await signedInUser(['radiologist']);
  const reviewer = await signedInUser(['radiologist']);
  // The reviewer asks to be credited by name; the reader does not.
  expect((await callRoute(creditRoute, 'PUT', '/api/account/credit', { session: reviewer.session, body: { creditName: '  Dr. Rae Viewer ' } })).json).toEqual({ creditName: 'Dr. Rae Viewer' });
  ({ id: projectId } = await createProject({ input: ZCreateProjectInput.parse({ name: 'Publish', schema: SCHEMA, readers: [reader.id], reviewers: [reviewer.id] }), actorId: engineer.id }));
  for (const [name, answer] of [['ann', 'normal'], ['bob', 'abnormal'], ['cyd', 'normal']] as const) {
    const st = await ctStudyOf(`PUB-${name.toUpperCase()}`, admin, { slices: 2 });
    await addProjectStudies({ projectId, input: { studyIds: [st.studyId] } });
    ({ voxels: savedVoxels } = await labelStudy({ projectId, studyId: st.studyId, seriesInstanceUid: st.seriesInstanceUid, reader, segmentValue: 1, slices: 2, answers: [{ questionId: 'finding', choiceIds: [answer] }], acceptedBy: reviewer }));
    await decideFor(st.patientId, admin, 'ai_training', 'granted');
    await decideFor(st.patientId, admin, 'public_release', 'granted');
    patients[name] = st.patientId;
  }
});

afterAll(async () => {
  await stopIpfs();
});

const dataset = async (purpose: 'ai_training' | 'public_release' | 'research', name: string) =>
  (await createDataset({ input: ZCreateDatasetInput.parse({ name, projectIds: [projectId], purpose, license: 'CC-BY-4.0', split: { train: 50, val: 0, test: 50 } }), actorId: engineer.id })).id;

describe('publishing a private version', () => {
  let versionId: string;
  let rootCid: string;
  let manifest: Manifest;
  let manifestBytes: Buffer;
  let signature: string;

  it('starts from the UI/API and records one ledger entry when the job is done', async () => {
    const datasetId = await dataset('ai_training', 'Private lungs');
    const res = await callRoute(versionsRoute, 'POST', '/x', { session: engineer.session, params: { datasetId } });
    expect(res.status, JSON.stringify(res.json)).toBe(202);
    versionId = res.json.versionId as string;
    // A second publication of the same dataset waits for the first.
    expect((await callRoute(versionsRoute, 'POST', '/x', { session: engineer.session, params: { datasetId } })).status).toBe(409);
    await runPublishJob(res.json.jobId as string);
    const job = await getDb().job.findUniqueOrThrow({ where: { id: res.json.jobId as string } });
    expect(job.status, job.error ?? '').toBe('succeeded');

    const version = await getDb().datasetVersion.findUniqueOrThrow({ where: { id: versionId }, include: { studies: true } });
    expect(version).toMatchObject({ status: 'published', version: 1, encrypted: true, studyCount: 3 });
    rootCid = version.rootCid!;
    const entry = await getDb().ledgerEntry.findUniqueOrThrow({ where: { seq: version.ledgerSeq! } });
    const parsed = JSON.parse(entry.canonical) as { type: string; payload: Record<string, unknown> };
    expect(parsed.type).toBe('dataset.published');
    expect(parsed.payload).toMatchObject({ version: 1, rootCid, manifestSha256: version.manifestSha256, purpose: 'ai_training', encrypted: true, studies: 3 });
    // A checkpoint covers the publication itself.
    expect(await getDb().ledgerCheckpoint.count({ where: { treeSize: { gt: version.ledgerSeq! } } })).toBeGreaterThan(0);
    expect(await (await getIpfs()).isPinned(rootCid)).toBe(true);
    // Each study it read is in the access log, as this version's export.
    const reads = await getDb().studyAccess.findMany({ where: { actor: 'dataset_export', actorRef: versionId } });
    expect(reads.map((r) => r.studyId).sort()).toEqual(version.studies.map((s) => s.studyId).sort());
    expect(reads.every((r) => r.how === 'export' && r.outcome === 'allowed')).toBe(true);

    const listed = await callRoute(versionsRoute, 'GET', '/x', { session: engineer.session, params: { datasetId } });
    expect((listed.json.versions as { version: number; rootCid: string; revokedStudies: number }[])[0]).toMatchObject({ version: 1, rootCid, revokedStudies: 0 });
  });

  it('publishes a signed manifest whose every consent proof verifies against the ledger key', async () => {
    manifestBytes = await bytesOf(rootCid, 'manifest.json');
    signature = (await bytesOf(rootCid, 'manifest.sig')).toString('utf8');
    const verdict = verifyManifest(manifestBytes, signature, { trustedVerifierKey: getLogKey().verifierKey });
    expect(verdict.problems).toEqual([]);
    expect(verdict).toMatchObject({ ok: true, studies: 3, consentVerified: 3 });
    manifest = verdict.manifest!;
    // The contract in the repo (docs/schemas) accepts it, checked by an independent validator.
    // Formats (date-time) are zod's to check; ajv without ajv-formats would only warn about them.
    const validate = new Ajv2020({ strict: false, validateFormats: false }).compile(JSON.parse(readFileSync('docs/schemas/dataset-manifest.schema.json', 'utf8')));
    expect(validate(JSON.parse(manifestBytes.toString('utf8'))), JSON.stringify(validate.errors)).toBe(true);
    expect(createHash('sha256').update(manifestBytes).digest('hex')).toBe((await getDb().datasetVersion.findUniqueOrThrow({ where: { id: versionId } })).manifestSha256);
    expect(manifest.encryption).toMatchObject({ algorithm: 'AES-256-GCM' });
    expect(manifest.files.map((f) => f.kind)).toEqual(expect.arrayContaining(['dicom', 'dicom-seg', 'labels-json', 'csv', 'card', 'nifti-image', 'nifti-label', 'nnunet-json', 'monai-json']));
    expect(manifest.contributors.map((c) => c.roles.join('+')).sort()).toEqual(['reader', 'reviewer']);
    // Named only where they opted in: the reviewer, not the reader.
    expect(manifest.contributors.map((c) => [c.roles[0], c.name ?? null]).sort()).toEqual([['reader', null], ['reviewer', 'Dr. Rae Viewer']]);
    expect(JSON.stringify(manifest)).not.toMatch(/PUB-ANN|Patient\^/);
  });

  it('holds encrypted files that decrypt with the key file into de-identified DICOM', async () => {
    const key = await callRoute(keyRoute, 'GET', '/x', { session: engineer.session, params: { versionId } });
    expect(key.status).toBe(200);
    const keyBytes = Buffer.from(JSON.parse(key.text).key as string, 'base64');
    const dicom = manifest.files.find((f) => f.kind === 'dicom')!;
    const sealed = await bytesOf(rootCid, dicom.path);
    expect(createHash('sha256').update(sealed).digest('hex')).toBe(dicom.sha256);
    expect(() => dicomParser.parseDicom(sealed)).toThrow();
    const plain = decryptFile(keyBytes, dicom.path, sealed);
    expect(createHash('sha256').update(plain).digest('hex')).toBe(dicom.plain!.sha256);
    const ds = dicomParser.parseDicom(plain);
    expect(ds.string('x00100020')).toMatch(/^patient-/);
    expect(ds.string('x00100010')).toMatch(/^patient-/);
    expect(ds.string('x00120062')).toBe('YES');
    expect(ds.string('x0020000d')).toMatch(/^2\.25\./);
    expect(() => decryptFile(Buffer.alloc(32, 7), dicom.path, sealed)).toThrow(/wrong key/);
    const seg = manifest.files.find((f) => f.kind === 'dicom-seg' && f.study === dicom.study)!;
    const segSet = dicomParser.parseDicom(decryptFile(keyBytes, seg.path, await bytesOf(rootCid, seg.path)));
    expect(segSet.string('x0020000d')).toBe(ds.string('x0020000d'));
  });

  it('fails verification for a tampered manifest, a forged proof or another ledger key', () => {
    const tampered = Buffer.from(manifestBytes.toString('utf8').replace(/"split":"(train|test)"/, (_, s: string) => `"split":"${s === 'train' ? 'test' : 'train'}"`));
    expect(verifyManifest(tampered, signature).problems.join()).toMatch(/not the file that was signed/);
    const forged = structuredClone(manifest);
    forged.studies[0]!.consent.proof = forged.studies[0]!.consent.proof.map(() => Buffer.alloc(32).toString('base64'));
    const forgedVerdict = verifyManifest(Buffer.from(JSON.stringify(forged)), signature);
    expect(forgedVerdict.ok).toBe(false);
    expect(forgedVerdict.problems.join()).toMatch(/not in the tree the checkpoint signs/);
    const other = 'example.org/other+12345678+AWbwD3Kmxs0UB/+V+oOX9f8p6jOu5YK0nmoFGkrJtnUl';
    expect(verifyManifest(manifestBytes, signature, { trustedVerifierKey: other }).ok).toBe(false);
  });
});

/** One digest of every file under `dir`, names and bytes: whether anything in it changed. */
async function treeDigest(dir: string): Promise<string> {
  const digest = createHash('sha256');
  for (const file of (await fs.readdir(dir, { recursive: true })).sort()) {
    const full = path.join(dir, file);
    if ((await fs.stat(full)).isFile()) digest.update(file).update(await fs.readFile(full));
  }
  return digest.digest('hex');
}

describe('pulling a version on another node', () => {
  let published: { versionId: string; rootCid: string; keyFile: string };
  const work = () => fs.mkdtemp(path.join(os.tmpdir(), 'cohort-pull-'));

  beforeAll(async () => {
    const v = await getDb().datasetVersion.findFirstOrThrow({ where: { status: 'published', encrypted: true }, orderBy: { createdAt: 'asc' } });
    const key = await callRoute(keyRoute, 'GET', '/x', { session: engineer.session, params: { versionId: v.id } });
    const keyFile = path.join(await work(), 'dataset.key.json');
    await fs.writeFile(keyFile, key.text);
    published = { versionId: v.id, rootCid: v.rootCid!, keyFile };
  });

  it('fetches it from a peer over bitswap, verifies and decrypts every file', async () => {
    const [address] = (await (await getIpfs()).info()).multiaddrs;
    const node = await openPullSource(published.rootCid, { peer: address! }, 10_000);
    const out = await work();
    try {
      const report = await pullDataset({ ipfs: node, cid: published.rootCid, out, key: JSON.parse(await fs.readFile(published.keyFile, 'utf8')), trustedVerifierKey: getLogKey().verifierKey });
      expect(report.problems).toEqual([]);
      expect(report).toMatchObject({ ok: true, studies: 3, consentVerified: 3, contributors: 2 });
      expect(report.files).toBe(report.manifest!.files.length);
    } finally {
      await node.stop();
    }
    const dicom = (await fs.readdir(path.join(out, 'dicom'), { recursive: true })).find((f) => f.endsWith('.dcm'))!;
    expect(dicomParser.parseDicom(await fs.readFile(path.join(out, 'dicom', dicom))).string('x00120062')).toBe('YES');
    expect(await fs.readFile(path.join(out, 'README.md'), 'utf8')).toContain('# Private lungs');
  });

  it('reads it offline from an IPFS repository on disk, checking every block, and refuses a repository short of a block or in use', async () => {
    // This installation's repository as carried over on a disk (the server's own is held by its running node).
    const repo = path.join(await work(), 'ipfs');
    await fs.cp(env.ipfsDir, repo, { recursive: true, filter: (file) => path.basename(file) !== 'repo.lock' });
    const before = await treeDigest(repo);
    const node = await openPullSource(published.rootCid, { repo }, 10_000);
    const out = await work();
    try {
      const report = await pullDataset({ ipfs: node, cid: published.rootCid, out, key: JSON.parse(await fs.readFile(published.keyFile, 'utf8')), trustedVerifierKey: getLogKey().verifierKey });
      expect(report.problems).toEqual([]);
      expect(report).toMatchObject({ ok: true, studies: 3, consentVerified: 3 });
    } finally {
      await node.stop();
    }
    expect(await treeDigest(repo)).toBe(before);

    // The CLI with --repo, as a holder without network would run it.
    const cli = await execFileAsync('npx', ['tsx', 'scripts/cohort.ts', 'pull', published.rootCid, '--repo', repo, '--out', await work(), '--key', published.keyFile], {
      env: { ...process.env, COHORT_LOG_LEVEL: 'silent' },
    });
    expect(cli.stdout).toContain('consent verified: 3/3');
    expect(cli.stdout).toMatch(/\nverified\n/);
    // With no source, this installation's own repository: held by the running node here, so it says where to pull from instead.
    const own = await execFileAsync('npx', ['tsx', 'scripts/cohort.ts', 'pull', published.rootCid, '--out', await work()], { env: { ...process.env, COHORT_LOG_LEVEL: 'silent' } }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(own.code).toBe(1);
    expect(own.stderr).toMatch(/in use by process \d+.*pull with --gateway/);

    await expect(openPullSource(published.rootCid, { repo: env.ipfsDir }, 5_000)).rejects.toThrow(/in use by .*pull with --gateway/);
    await expect(openPullSource(published.rootCid, { repo: await work() }, 5_000)).rejects.toThrow(/not an IPFS repository/);
    // A block gone from the copy: nothing is pulled, and the error says the repository lacks part of the version.
    const manifestBlock = await (await getIpfs()).getBlock((await (await getIpfs()).stat(published.rootCid, 'manifest.json')).cid);
    let victim: string | undefined;
    for (const file of await fs.readdir(path.join(repo, 'blocks'), { recursive: true })) {
      const full = path.join(repo, 'blocks', file);
      if ((await fs.stat(full)).isFile() && Buffer.compare(await fs.readFile(full), Buffer.from(manifestBlock)) === 0) victim = full;
    }
    expect(victim).toBeDefined();
    await fs.rm(victim!);
    await expect(openPullSource(published.rootCid, { repo }, 5_000)).rejects.toThrow(/does not hold all of .*Block \w+ is missing/);
    // And a block whose bytes were changed on the disk is refused by its CID.
    await fs.cp(env.ipfsDir, repo, { recursive: true, force: true, filter: (file) => path.basename(file) !== 'repo.lock' });
    await fs.writeFile(victim!, Buffer.from(manifestBlock).map((b, i) => (i === 10 ? b ^ 0xff : b)));
    await expect(openPullSource(published.rootCid, { repo }, 5_000)).rejects.toThrow(/does not match its CID/);
  }, 120_000);

  it('says so, within the timeout, when the peer cannot be reached', async () => {
    const { peerId } = await (await getIpfs()).info();
    const closed = await startGatewayServer(await getIpfs());
    await closed.close();
    const port = new URL(closed.url).port;
    const started = Date.now();
    await expect(openPullSource(published.rootCid, { peer: `/ip4/127.0.0.1/tcp/${port}/p2p/${peerId}` }, 2_000)).rejects.toThrow(/peer could not be reached|peer did not answer/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('writes the nnU-Net layout whose label volume holds exactly the voxels the reader saved', async () => {
    const [address] = (await (await getIpfs()).info()).multiaddrs;
    const node = await openPullSource(published.rootCid, { peer: address! }, 10_000);
    const out = await work();
    try {
      const report = await pullDataset({ ipfs: node, cid: published.rootCid, out, key: JSON.parse(await fs.readFile(published.keyFile, 'utf8')), format: 'nnunet' });
      expect(report.problems).toEqual([]);
    } finally {
      await node.stop();
    }
    expect(await fs.readdir(out)).toEqual(expect.arrayContaining(['nnunet', 'README.md', 'splits.csv', 'manifest.json']));
    expect(await fs.readdir(out)).not.toContain('dicom');
    const [folder] = await fs.readdir(path.join(out, 'nnunet'));
    const datasetJson = JSON.parse(await fs.readFile(path.join(out, 'nnunet', folder!, 'dataset.json'), 'utf8')) as { labels: Record<string, number>; channel_names: Record<string, string>; file_ending: string };
    expect(datasetJson).toMatchObject({ labels: { background: 0, Lung: 1 }, channel_names: { '0': 'CT' }, file_ending: '.nii.gz' });
    // Each case's label volume, read back as NIfTI, is the labelmap the reader saved for that study.
    const manifest = JSON.parse(await fs.readFile(path.join(out, 'manifest.json'), 'utf8')) as Manifest;
    const labelFiles = manifest.files.filter((f) => f.kind === 'nifti-label');
    expect(labelFiles.length).toBeGreaterThan(0);
    for (const f of labelFiles) {
      const nii = gunzipSync(await fs.readFile(path.join(out, f.path)));
      expect(nii.readInt32LE(0)).toBe(348);
      const dims = [1, 2, 3].map((i) => nii.readInt16LE(40 + 2 * i));
      expect(dims).toEqual([512, 512, 2]);
      const voxels = nii.subarray(Math.round(nii.readFloatLE(108)));
      expect(Buffer.compare(voxels, Buffer.from(savedVoxels))).toBe(0);
    }
  });

  it('pulls through a gateway with the CLI, and fails clearly on a wrong key, a corrupted block or an unreachable gateway', async () => {
    const gateway = await startGatewayServer(await getIpfs());
    const broken = await startGatewayServer(await getIpfs(), {
      tamper: (body) => {
        const copy = Buffer.from(body);
        copy[copy.length - 100] = copy[copy.length - 100]! ^ 0xff;
        return copy;
      },
    });
    const cli = (...extra: string[]) => execFileAsync('npx', ['tsx', 'scripts/cohort.ts', 'pull', published.rootCid, ...extra], { env: { ...process.env, COHORT_LOG_LEVEL: 'silent' } }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    try {
      const out = await work();
      const ok = await cli('--gateway', gateway.url, '--out', out, '--key', published.keyFile, '--trusted-key', getLogKey().verifierKey);
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toContain('consent verified: 3/3');
      expect(ok.stdout).toContain('revocations: none since publication');
      expect(ok.stdout).toContain('verified');

      const otherKey = path.join(await work(), 'other.key.json');
      await fs.writeFile(otherKey, JSON.stringify({ format: 'cohort-dataset-key/v1', keyId: 'x', rootCid: null, key: Buffer.alloc(32, 1).toString('base64') }));
      const wrong = await cli('--gateway', gateway.url, '--out', await work(), '--key', otherKey);
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toMatch(/key file is for another version/);

      const corrupt = await cli('--gateway', broken.url, '--out', await work(), '--key', published.keyFile);
      expect(corrupt.code).toBe(1);
      expect(corrupt.stderr).toMatch(/does not match its CID/);

      const closed = await startGatewayServer(await getIpfs());
      await closed.close();
      const started = Date.now();
      const unreachable = await cli('--gateway', closed.url, '--out', await work(), '--timeout', '2000');
      expect(unreachable.code).toBe(1);
      expect(unreachable.stderr).toMatch(/did not answer/);
      expect(Date.now() - started).toBeLessThan(20_000);
    } finally {
      await gateway.close();
      await broken.close();
    }
  }, 120_000);
});

describe('the patient portal', () => {
  it('shows the patient which published versions hold their study, with the CID', async () => {
    const patientUser = await signedInUser(['patient']);
    const { code } = await issueClaimCode({ actorId: admin.id, patientId: patients.ann!, validDays: 7 });
    await claimPatient({ userId: patientUser.id, code });
    const res = await callRoute(myStudiesRoute, 'GET', '/api/me/studies', { session: patientUser.session });
    const [study] = res.json.studies as { datasets: { name: string; version: number; rootCid: string }[] }[];
    const published = await getDb().datasetVersion.findFirstOrThrow({ where: { dataset: { name: 'Private lungs' } } });
    expect(study!.datasets).toContainEqual(expect.objectContaining({ name: 'Private lungs', version: 1, rootCid: published.rootCid }));
  });
});

describe('an open dataset', () => {
  it('goes out unencrypted and has no key', async () => {
    const datasetId = await dataset('public_release', 'Open lungs');
    const { versionId } = await startPublication({ datasetId, actorId: engineer.id });
    const result = await publishVersion(versionId);
    const manifest = JSON.parse((await bytesOf(result.rootCid, 'manifest.json')).toString('utf8')) as Manifest;
    expect(manifest.encryption).toBeNull();
    const dicom = manifest.files.find((f) => f.kind === 'dicom')!;
    expect(dicomParser.parseDicom(await bytesOf(result.rootCid, dicom.path)).string('x00100020')).toMatch(/^patient-/);
    const card = (await bytesOf(result.rootCid, 'README.md')).toString('utf8');
    expect(card).toContain('# Open lungs');
    expect(card).toMatch(/\| Dr\. Rae Viewer \(`p_[a-z2-7]{26}`\) \| reviewer \|/);
    expect((await callRoute(keyRoute, 'GET', '/x', { session: engineer.session, params: { versionId } })).status).toBe(404);
  });
});

describe('consent and publication', () => {
  it('refuses to publish when nothing is eligible, writing nothing', async () => {
    const datasetId = await dataset('research', 'Nobody consented');
    const before = await getDb().ledgerEntry.count();
    const res = await callRoute(versionsRoute, 'POST', '/x', { session: engineer.session, params: { datasetId } });
    expect(res.status).toBe(400);
    expect(res.json.message).toMatch(/Nothing to publish/);
    expect(await getDb().datasetVersion.count({ where: { datasetId } })).toBe(0);
    expect(await getDb().ledgerEntry.count()).toBe(before);
  });

  it('leaves out a study whose consent is revoked while the version is prepared, and orders the revocation before the publication', async () => {
    const datasetId = await dataset('ai_training', 'Racing revocation');
    const { versionId } = await startPublication({ datasetId, actorId: engineer.id });
    let revokedSeq: number | null = null;
    const result = await publishVersion(versionId, async (fraction) => {
      // Once the files are being added to IPFS, Bob revokes.
      if (fraction >= 0.7 && revokedSeq === null) revokedSeq = (await decideFor(patients.bob!, admin, 'ai_training', 'revoked')).ledgerSeq;
    });
    expect(result.studies).toBe(2);
    const version = await getDb().datasetVersion.findUniqueOrThrow({ where: { id: versionId }, include: { studies: true } });
    const bobStudy = await getDb().study.findFirstOrThrow({ where: { patientId: patients.bob! } });
    expect(version.studies.map((s) => s.studyId)).not.toContain(bobStudy.id);
    expect(revokedSeq).not.toBeNull();
    expect(version.ledgerSeq!).toBeGreaterThan(revokedSeq!);
    // Bob's earlier grant is gone from the new version; the first private version now shows one revoked study.
    const first = await getDb().dataset.findFirstOrThrow({ where: { name: 'Private lungs' } });
    const listed = await callRoute(versionsRoute, 'GET', '/x', { session: engineer.session, params: { datasetId: first.id } });
    expect((listed.json.versions as { revokedStudies: number }[])[0]!.revokedStudies).toBe(1);

    // Its revocations.json, public, proves Bob's revocation against the ledger key; the holder's check flags exactly his study.
    const firstVersion = await getDb().datasetVersion.findFirstOrThrow({ where: { datasetId: first.id, status: 'published' }, include: { studies: true } });
    const res = await callRoute(revocationsRoute, 'GET', '/x', { params: { cid: firstVersion.rootCid! } });
    expect(res.status).toBe(200);
    const revocations = res.json as unknown as VersionRevocations;
    const bobPseudonym = firstVersion.studies.find((s) => s.studyId === bobStudy.id)!.pseudonym;
    expect(revocations.revoked.map((r) => [r.study, r.state])).toEqual([[bobPseudonym, 'revoked']]);
    const firstManifest = JSON.parse((await bytesOf(firstVersion.rootCid!, 'manifest.json')).toString('utf8')) as Manifest;
    expect(checkRevocations(firstManifest, revocations, getLogKey().verifierKey)).toEqual({ revoked: [{ study: bobPseudonym, state: 'revoked', seq: revokedSeq }], problems: [] });
    // A forged list (another study named, or a proof swapped) flags nothing and says why.
    const forged = structuredClone(revocations);
    forged.revoked[0]!.study = firstManifest.studies.find((s) => s.id !== bobPseudonym)!.id;
    const check = checkRevocations(firstManifest, forged, getLogKey().verifierKey);
    expect(check.revoked).toEqual([]);
    expect(check.problems.join()).toMatch(/does not take back/);
    expect((await callRoute(revocationsRoute, 'GET', '/x', { params: { cid: 'bafkreinotpublishedhere' } })).status).toBe(404);
    await decideFor(patients.bob!, admin, 'ai_training', 'granted');
  });
});
