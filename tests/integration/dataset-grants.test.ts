/**
 * Sharing a private version by wrapping its key for the grantee's own age key: a radiologist registers
 * a key, an ML engineer shares a published version with it, the owner downloads the .age file, opens
 * it with their identity and decrypts a published file with the key inside; nobody else finds it,
 * another identity cannot open it, bad input writes nothing, a removed key receives no new grant, and
 * `cohort pull --key <.age> --identity` verifies the version.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as recipientKeysRoute from '@/app/api/account/recipient-keys/route';
import * as recipientKeyRoute from '@/app/api/account/recipient-keys/[keyId]/route';
import * as keyRoute from '@/app/api/dataset-versions/[versionId]/key/route';
import * as grantsRoute from '@/app/api/dataset-versions/[versionId]/grants/route';
import * as grantRoute from '@/app/api/dataset-versions/[versionId]/grants/[grantId]/route';
import { createDataset } from '@/lib/datasets/create-dataset';
import { decryptFile } from '@/lib/datasets/export/file-encryption';
import { findUserGrants } from '@/lib/datasets/grants/find-user-grants';
import type { VersionGrantView } from '@/lib/datasets/grants/version-grant-view';
import type { Manifest } from '@/lib/datasets/manifest/manifest-schema';
import { publishVersion } from '@/lib/datasets/publish/run-publish-job';
import { startPublication } from '@/lib/datasets/publish/start-publication';
import { ZCreateDatasetInput } from '@/lib/datasets/schemas';
import { newVersionKey } from '@/lib/datasets/version-key';
import { getDb } from '@/lib/db/client';
import { getIpfs, stopIpfs } from '@/lib/ipfs/get-ipfs';
import { ageDecrypt } from '@/lib/keys/age-decrypt';
import { AgeError } from '@/lib/keys/age-error';
import { formatIdentityFile, generateIdentity } from '@/lib/keys/age-keys';
import { getLogKey } from '@/lib/ledger/log-key';
import { addProjectStudies } from '@/lib/projects/add-project-studies';
import { createProject } from '@/lib/projects/create-project';
import { ZCreateProjectInput } from '@/lib/projects/schemas';
import { findShareableRecipientKeys } from '@/lib/recipient-keys/find-shareable-recipient-keys';
import type { RecipientKeyView } from '@/lib/recipient-keys/recipient-key-view';
import { callRoute, type Session } from '../helpers/api';
import { ctStudyOf, decideFor, labelStudy } from '../helpers/datasets';
import { startGatewayServer } from '../helpers/gateway-server';
import { signedInUser } from '../helpers/users';

const execFileAsync = promisify(execFile);
const SCHEMA = { segments: [{ value: 1, name: 'Lung', color: '#00ff00' }] };

type User = { id: string; session: Session };
let admin: User;
let engineer: User;
/** Registers a key and is shared the version. */
let holder: User;
/** A radiologist with a key of their own, but not the one shared. */
let stranger: User;
let patient: User;
const holderIdentity = generateIdentity();
const strangerIdentity = generateIdentity();
let datasetId: string;
let versionId: string;
let rootCid: string;
let holderKeyId: string;
let grantId: string;

const work = () => fs.mkdtemp(path.join(os.tmpdir(), 'cohort-grants-'));
const grantCount = () => getDb().datasetVersionGrant.count();
const registerKey = (u: User, label: string, recipient: string) => callRoute(recipientKeysRoute, 'POST', '/api/account/recipient-keys', { session: u.session, body: { label, recipient } });
const share = (u: User, vId: string, recipientKeyId: unknown) => callRoute(grantsRoute, 'POST', `/api/dataset-versions/${vId}/grants`, { session: u.session, params: { versionId: vId }, body: { recipientKeyId } });
const download = (u: User, vId: string, gId: string) => callRoute(grantRoute, 'GET', `/api/dataset-versions/${vId}/grants/${gId}`, { session: u.session, params: { versionId: vId, grantId: gId } });
/** A download as bytes (callRoute reads bodies as text). */
async function downloadBytes(u: User, vId: string, gId: string): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
  const res = await grantRoute.GET(new Request(`http://localhost:3000/api/dataset-versions/${vId}/grants/${gId}`, { headers: { cookie: u.session.cookie } }), { params: Promise.resolve({ versionId: vId, grantId: gId }) });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), headers: res.headers };
}
async function bytesOf(cid: string, file: string) {
  const chunks: Uint8Array[] = [];
  for await (const c of (await getIpfs()).cat(cid, { path: file })) chunks.push(c);
  return Buffer.concat(chunks);
}

beforeAll(async () => {
  admin = await signedInUser(['admin']);
  engineer = await signedInUser(['ml_engineer']);
  holder = await signedInUser(['radiologist']);
  stranger = await signedInUser(['radiologist']);
  patient = await signedInUser(['patient']);
  const reviewer = await signedInUser(['radiologist']);
  const { id: projectId } = await createProject({ input: ZCreateProjectInput.parse({ name: 'Grants', schema: SCHEMA, readers: [holder.id], reviewers: [reviewer.id] }), actorId: engineer.id });
  const st = await ctStudyOf('GRANT-ONE', admin);
  await addProjectStudies({ projectId, input: { studyIds: [st.studyId] } });
  await labelStudy({ projectId, studyId: st.studyId, seriesInstanceUid: st.seriesInstanceUid, reader: holder, segmentValue: 1, acceptedBy: reviewer });
  await decideFor(st.patientId, admin, 'ai_training', 'granted');
  ({ id: datasetId } = await createDataset({ input: ZCreateDatasetInput.parse({ name: 'Shared lungs', projectIds: [projectId], purpose: 'ai_training', license: 'CC-BY-4.0' }), actorId: engineer.id }));
  ({ versionId } = await startPublication({ datasetId, actorId: engineer.id }));
  ({ rootCid } = await publishVersion(versionId));
});

afterAll(() => stopIpfs());

describe('registering dataset keys', () => {
  it('refuses what is not an age public key, saying why, and writes nothing', async () => {
    const before = await getDb().recipientKey.count();
    const bad = await registerKey(holder, 'Laptop', 'age1notakey');
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/Not an age recipient \(age1…\)/);
    const secret = await registerKey(holder, 'Laptop', holderIdentity.identity);
    expect(secret.status).toBe(400);
    expect(secret.json.message).toMatch(/That is a secret key/);
    const ssh = await registerKey(holder, 'Laptop', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl');
    expect(ssh.status).toBe(400);
    const unlabeled = await registerKey(holder, ' ', holderIdentity.recipient);
    expect(unlabeled.status).toBe(400);
    expect((await registerKey(patient, 'Phone', holderIdentity.recipient)).status).toBe(403);
    expect(await getDb().recipientKey.count()).toBe(before);
  });

  it('registers a key (canonical lowercase), lists it, and refuses the same key twice', async () => {
    const res = await registerKey(holder, 'Training server', holderIdentity.recipient.toUpperCase());
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    const key = res.json.key as RecipientKeyView;
    expect(key).toMatchObject({ label: 'Training server', recipient: holderIdentity.recipient, status: 'active' });
    holderKeyId = key.id;
    const again = await registerKey(holder, 'Again', holderIdentity.recipient);
    expect(again.status).toBe(409);
    expect(again.json.message).toMatch(/already registered this key as "Training server"/);
    const listed = await callRoute(recipientKeysRoute, 'GET', '/api/account/recipient-keys', { session: holder.session });
    expect((listed.json.keys as RecipientKeyView[]).map((k) => k.id)).toEqual([holderKeyId]);
    expect((await registerKey(stranger, 'Workstation', strangerIdentity.recipient)).status).toBe(201);
    // The dataset page's share list: both keys, with their owners.
    const shareable = await findShareableRecipientKeys();
    expect(shareable.find((k) => k.id === holderKeyId)?.owner.id).toBe(holder.id);
    expect(shareable.filter((k) => k.recipient === strangerIdentity.recipient)).toHaveLength(1);
  });
});

describe('sharing a private version', () => {
  it('wraps the key file for the key: the owner downloads the .age file, opens it with their identity, and the key decrypts a published file', async () => {
    const before = await grantCount();
    const res = await share(engineer, versionId, holderKeyId);
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    const grant = res.json.grant as VersionGrantView;
    expect(grant).toMatchObject({ keyId: holderKeyId, keyLabel: 'Training server', owner: { id: holder.id }, keyRevoked: false });
    grantId = grant.id;
    expect(await grantCount()).toBe(before + 1);
    // On the record: who shared which version with whom, by pseudonym and key hash only.
    const entry = await getDb().ledgerEntry.findFirstOrThrow({ where: { type: 'dataset.shared' }, orderBy: { seq: 'desc' } });
    const { subjects, payload } = JSON.parse(entry.canonical) as { subjects: string[]; payload: Record<string, unknown> };
    expect(subjects).toEqual([grantId, rootCid]);
    expect(payload).toMatchObject({ version: expect.any(Number), recipient: expect.stringMatching(/^p_[a-z2-7]{26}$/), recipientKeySha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(entry.canonical).not.toContain(holder.id);
    // Sharing again with the same key makes nothing new.
    const again = await share(engineer, versionId, holderKeyId);
    expect(again.status).toBe(200);
    expect((again.json.grant as VersionGrantView).id).toBe(grantId);
    expect(await grantCount()).toBe(before + 1);
    expect(await getDb().ledgerEntry.count({ where: { type: 'dataset.shared', canonical: { contains: grantId } } })).toBe(1);

    const listed = await callRoute(grantsRoute, 'GET', '/x', { session: admin.session, params: { versionId } });
    expect(listed.status).toBe(200);
    const [only] = listed.json.grants as VersionGrantView[];
    expect(only).toMatchObject({ id: grantId, keyLabel: 'Training server', grantedBy: expect.stringMatching(/^Test ml_engineer/), downloadUrl: `/api/dataset-versions/${versionId}/grants/${grantId}` });

    const file = await downloadBytes(holder, versionId, grantId);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toBe(`attachment; filename="cohort-dataset-${rootCid}.key.age"`);
    expect(file.headers.get('cache-control')).toBe('no-store');
    expect(file.bytes.subarray(0, 21).toString()).toBe('age-encryption.org/v1');
    // Stored as the very file served, and no raw key anywhere in it.
    const stored = await getDb().datasetVersionGrant.findUniqueOrThrow({ where: { id: grantId } });
    expect(Buffer.from(stored.wrapped, 'base64').equals(file.bytes)).toBe(true);
    const raw = await callRoute(keyRoute, 'GET', '/x', { session: engineer.session, params: { versionId } });
    const rawKey = JSON.parse(raw.text) as { key: string; keyId: string; rootCid: string };
    expect(file.bytes.includes(Buffer.from(rawKey.key))).toBe(false);

    const keyFile = JSON.parse(ageDecrypt(file.bytes, [holderIdentity.identity]).toString('utf8')) as typeof rawKey & { format: string };
    expect(keyFile).toEqual({ format: 'cohort-dataset-key/v1', keyId: rawKey.keyId, rootCid, key: rawKey.key });
    const manifest = JSON.parse((await bytesOf(rootCid, 'manifest.json')).toString('utf8')) as Manifest;
    const dicom = manifest.files.find((f) => f.kind === 'dicom')!;
    const plain = decryptFile(Buffer.from(keyFile.key, 'base64'), dicom.path, await bytesOf(rootCid, dicom.path));
    expect(createHash('sha256').update(plain).digest('hex')).toBe(dicom.plain!.sha256);

    // Another identity cannot open it, not even one of a registered key.
    expect(() => ageDecrypt(file.bytes, [strangerIdentity.identity])).toThrow(AgeError);
    expect(() => ageDecrypt(file.bytes, [strangerIdentity.identity])).toThrow(/none of the identities/);
    // The owner's account page lists it.
    expect(await findUserGrants(holder.id)).toEqual([expect.objectContaining({ id: grantId, dataset: 'Shared lungs', version: 1, rootCid, keyLabel: 'Training server' })]);
    expect(await findUserGrants(stranger.id)).toEqual([]);
  });

  it("hides the grant from everyone but its key's owner and dataset managers (404, as if absent)", async () => {
    expect((await download(stranger, versionId, grantId)).status).toBe(404);
    expect((await download(patient, versionId, grantId)).json).toMatchObject({ error: 'NOT_FOUND', message: 'No such grant.' });
    expect((await download(engineer, versionId, grantId)).status).toBe(200);
    expect((await download(admin, versionId, grantId)).status).toBe(200);
    // The grant under another version's id is not found either.
    expect((await download(holder, 'another-version', grantId)).status).toBe(404);
    // Listing and sharing are for ML engineers and admins.
    expect((await callRoute(grantsRoute, 'GET', '/x', { session: holder.session, params: { versionId } })).status).toBe(403);
    expect((await share(holder, versionId, holderKeyId)).status).toBe(403);
  });

  it('refuses unknown keys and versions, a missing key id, open and unpublished versions, writing nothing', async () => {
    const before = await grantCount();
    const unknownKey = await share(engineer, versionId, 'no-such-key');
    expect(unknownKey.status).toBe(404);
    expect(unknownKey.json.message).toBe('No such recipient key.');
    const unknownVersion = await share(engineer, 'no-such-version', holderKeyId);
    expect(unknownVersion.status).toBe(404);
    expect(unknownVersion.json.message).toBe('No such dataset version.');
    expect((await callRoute(grantsRoute, 'GET', '/x', { session: engineer.session, params: { versionId: 'no-such-version' } })).status).toBe(404);
    const missing = await share(engineer, versionId, '');
    expect(missing.status).toBe(400);
    expect(missing.json.fields).toMatchObject({ recipientKeyId: ['Choose the key to share this version with.'] });
    expect((await share(engineer, versionId, 42)).status).toBe(400);

    const base = await getDb().datasetVersion.findUniqueOrThrow({ where: { id: versionId } });
    const open = await getDb().datasetVersion.create({ data: { datasetId, definition: base.definition, encrypted: false, status: 'published', rootCid: 'bafyopen', createdById: engineer.id } });
    const openRes = await share(engineer, open.id, holderKeyId);
    expect(openRes.status).toBe(409);
    expect(openRes.json.message).toMatch(/open dataset/);
    const pending = await getDb().datasetVersion.create({ data: { datasetId, definition: base.definition, encrypted: true, sealedKey: newVersionKey().sealed, status: 'failed', createdById: engineer.id } });
    const pendingRes = await share(engineer, pending.id, holderKeyId);
    expect(pendingRes.status).toBe(409);
    expect(pendingRes.json.message).toMatch(/Only a published version/);
    await getDb().datasetVersion.deleteMany({ where: { id: { in: [open.id, pending.id] } } });
    expect(await grantCount()).toBe(before);
  });
});

describe('removing a key', () => {
  it('stops new grants to it, keeps the grants it has, and is the owner’s alone to do', async () => {
    const spare = generateIdentity();
    const { key } = (await registerKey(holder, 'Old laptop', spare.recipient)).json as { key: RecipientKeyView };
    // Someone else's key is not found, and stays.
    expect((await callRoute(recipientKeyRoute, 'DELETE', '/x', { session: stranger.session, params: { keyId: key.id } })).status).toBe(404);
    expect((await callRoute(recipientKeyRoute, 'DELETE', '/x', { session: holder.session, params: { keyId: key.id } })).status).toBe(204);
    // Removing twice is harmless.
    expect((await callRoute(recipientKeyRoute, 'DELETE', '/x', { session: holder.session, params: { keyId: key.id } })).status).toBe(204);
    const before = await grantCount();
    const refused = await share(engineer, versionId, key.id);
    expect(refused.status).toBe(409);
    expect(refused.json.message).toMatch(/removed this key: it can receive no new grant/);
    expect(await grantCount()).toBe(before);
    expect((await findShareableRecipientKeys()).map((k) => k.id)).not.toContain(key.id);

    // The shared key, removed after its grant: the grant stays downloadable and openable, flagged.
    expect((await callRoute(recipientKeyRoute, 'DELETE', '/x', { session: holder.session, params: { keyId: holderKeyId } })).status).toBe(204);
    const file = await downloadBytes(holder, versionId, grantId);
    expect(file.status).toBe(200);
    expect(JSON.parse(ageDecrypt(file.bytes, [holderIdentity.identity]).toString('utf8'))).toMatchObject({ rootCid });
    const listed = await callRoute(recipientKeysRoute, 'GET', '/x', { session: holder.session });
    expect((listed.json.keys as RecipientKeyView[]).map((k) => k.status)).toEqual(['revoked', 'revoked']);
    expect(await findUserGrants(holder.id)).toEqual([expect.objectContaining({ id: grantId, keyRevoked: true })]);
  });
});

describe('cohort pull with a shared key file', () => {
  it('opens the .age key file with --identity and verifies the version; says what is missing otherwise', async () => {
    const dir = await work();
    const keyFile = path.join(dir, `cohort-dataset-${rootCid}.key.age`);
    await fs.writeFile(keyFile, (await downloadBytes(holder, versionId, grantId)).bytes);
    const identityFile = path.join(dir, 'identity.txt');
    await fs.writeFile(identityFile, formatIdentityFile(holderIdentity), { mode: 0o600 });
    const strangerFile = path.join(dir, 'stranger.txt');
    await fs.writeFile(strangerFile, formatIdentityFile(strangerIdentity), { mode: 0o600 });
    const gateway = await startGatewayServer(await getIpfs());
    const cli = (...extra: string[]) =>
      execFileAsync('npx', ['tsx', 'scripts/cohort.ts', 'pull', rootCid, '--gateway', gateway.url, '--out', path.join(dir, 'out'), ...extra], { env: { ...process.env, COHORT_LOG_LEVEL: 'silent' } }).then(
        (r) => ({ code: 0, ...r }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
    try {
      const ok = await cli('--key', keyFile, '--identity', identityFile, '--trusted-key', getLogKey().verifierKey);
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toContain('consent verified: 1/1');
      expect(ok.stdout).toMatch(/\nverified\n$/);
      const noIdentity = await cli('--key', keyFile);
      expect(noIdentity.code).toBe(2);
      expect(noIdentity.stderr).toMatch(/encrypted to your dataset key \(age\): pass your identity file with --identity/);
      const wrongIdentity = await cli('--key', keyFile, '--identity', strangerFile);
      expect(wrongIdentity.code).toBe(2);
      expect(wrongIdentity.stderr).toMatch(/not shared with the key of/);
    } finally {
      await gateway.close();
    }
  }, 120_000);
});
