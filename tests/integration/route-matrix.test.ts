/**
 * Every route handler × every kind of caller. A route added under app/ without a row here fails the
 * first test, so no route ships without its session and role checks being exercised.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessToken } from '@/lib/access-tokens/create-access-token';
import { revokeAccessToken } from '@/lib/access-tokens/revoke-access-token';
import type { Role } from '@/lib/auth/roles';
import { getDb } from '@/lib/db/client';
import { ingestFiles } from '@/lib/dicom/ingest-files';
import { encodeLabelmapRle } from '@/lib/annotations/labelmap-rle.client';
import { saveAnnotation } from '@/lib/annotations/save-annotation';
import { ZSaveAnnotationInput } from '@/lib/annotations/schemas';
import { getIpfs, stopIpfs } from '@/lib/ipfs/get-ipfs';
import { enqueueJob } from '@/lib/jobs/job-queue';
import { issueClaimCode } from '@/lib/patients/issue-claim-code';
import { getBlobStore } from '@/lib/storage/get-blob-store';
import { addProjectStudies } from '@/lib/projects/add-project-studies';
import { createProject } from '@/lib/projects/create-project';
import { createDataset } from '@/lib/datasets/create-dataset';
import { ZCreateDatasetInput } from '@/lib/datasets/schemas';
import { newVersionKey } from '@/lib/datasets/version-key';
import { generateIdentity } from '@/lib/keys/age-keys';
import { registerRecipientKey } from '@/lib/recipient-keys/register-recipient-key';
import { ZCreateProjectInput } from '@/lib/projects/schemas';
import { bufferSource } from '@/lib/dicom/byte-source';
import { readDicomHeader } from '@/lib/dicom/read-header';
import { appendChunk, startUpload } from '@/lib/uploads/upload-session';
import { setUserActive } from '@/lib/users/set-user-active';
import { callRoute, signInOrThrow, type Session } from '../helpers/api';
import { sample } from '../helpers/dicom-samples';
import { appendSamples } from '../helpers/ledger';
import { formDataBody, stowBody } from '../helpers/multipart';
import { expireSessionsOf, makeUser } from '../helpers/users';

type Access = 'public' | 'signed-in' | 'signed-in-pending-ok' | Role[];
/** `userId`: the calling principal's user (a fresh one for callers without an account). */
type Ctx = { targetUserId: () => Promise<string>; userId: string };
type RouteCase = {
  method: string;
  template: string;
  /** The query string, or one made from the route's params. */
  query?: string | ((params: Record<string, string>) => string);
  access: Access;
  ok: number;
  params?: (ctx: Ctx) => Promise<Record<string, string>>;
  body?: () => unknown;
  /** A non-JSON body (multipart DICOM for STOW-RS). */
  raw?: () => { body: Uint8Array; contentType: string };
  headers?: Record<string, string>;
  /** Routes that serve patients their own studies only: the status a patient gets for this study (not theirs). */
  patients?: number;
};

/** A patient of the private tables, for claim codes. */
const newPatient = async () => (await getDb().patient.create({ data: { patientKey: `MATRIX-${++unique}` } })).id;

const stowFile = () => stowBody([new Uint8Array(readFileSync(sample('valid/pydicom/dicomdirtests/77654033/CR1/6154')))]);
const stowUids = async () => {
  const h = await readDicomHeader(bufferSource(readFileSync(sample('valid/pydicom/dicomdirtests/77654033/CR1/6154'))));
  return { study: h.studyInstanceUid, series: h.seriesInstanceUid, instance: h.sopInstanceUid };
};
const stowStudy = async () => ({ study: (await stowUids()).study });

/** Radiologists read DICOMweb only for their projects' studies: every radiologist principal is a reader of one holding the CR study. */
const radiologistIds: string[] = [];
const matrixSchema = { segments: [{ value: 1, name: 'Lesion', color: '#ff0000' }] };
const projectWithStudy = async () => {
  const { id } = await createProject({
    input: ZCreateProjectInput.parse({ name: `Matrix project ${++unique}`, schema: matrixSchema, readers: radiologistIds }),
    actorId: admin.id,
  });
  const study = await getDb().study.findUniqueOrThrow({ where: { studyInstanceUid: (await stowUids()).study }, select: { id: true } });
  await addProjectStudies({ projectId: id, input: { studyIds: [study.id] } });
  return { projectId: id, studyId: study.id };
};
/** A queued pre-annotation job of a project (never run here: tests start no job runner). */
const queuedJob = async () => {
  const { projectId, studyId } = await projectWithStudy();
  return { jobId: await enqueueJob('inference', { projectId, studyId, seriesInstanceUid: '1.2.3', modelName: 'ct-body-lungs-bone' }, admin.id, { projectId }) };
};
/** An AI proposal in a project where the radiologist principals read. */
const proposal = async () => {
  const { projectId, studyId } = await projectWithStudy();
  const schema = await getDb().labelSchemaVersion.findFirstOrThrow({ where: { projectId } });
  const blob = await getBlobStore().put(encodeLabelmapRle(new Uint8Array(16)));
  const row = await getDb().aiProposal.create({
    data: { projectId, studyId, seriesInstanceUid: (await stowUids()).series, jobId: `matrix-${++unique}`, modelName: 'm', modelVersion: '1.0.0', modelSha256: 'a'.repeat(64), manifestHash: 'b'.repeat(64), parameters: '{}', schemaVersionId: schema.id, columns: 4, rows: 4, slices: 1, outputSha256: blob.sha256, counts: '{}', runMs: 1 },
  });
  return { proposalId: row.id };
};
/** A project whose radiologist principals review (agreement is for reviewers, not readers). */
const reviewedProject = async () => {
  const ids = await projectWithStudy();
  await getDb().projectMember.createMany({ data: radiologistIds.map((userId) => ({ projectId: ids.projectId, userId, role: 'reviewer' })) });
  return ids;
};
/** Another reader's submitted label, in a project where the radiologist principals review. */
const submittedLabel = async () => {
  const { projectId, studyId } = await projectWithStudy();
  await getDb().projectMember.createMany({ data: radiologistIds.map((userId) => ({ projectId, userId, role: 'reviewer' })) });
  const schema = await getDb().labelSchemaVersion.findFirstOrThrow({ where: { projectId } });
  const reader = await makeUser(['radiologist']);
  const row = await getDb().annotation.create({
    data: { projectId, studyId, readerId: reader.id, status: 'submitted', version: 1, versions: { create: { version: 1, schemaVersionId: schema.id, content: '{}', contentHash: '0'.repeat(64), authorId: reader.id } } },
  });
  return { annotationId: row.id };
};
/** A saved label with a labelmap of the CR image: the caller's own when they read, another reader's otherwise. */
const savedLabel = async (c: Ctx) => {
  const readerId = radiologistIds.includes(c.userId) ? c.userId : radiologistIds[0]!;
  const { projectId, studyId } = await projectWithStudy();
  const { id } = await getDb().annotation.create({ data: { projectId, studyId, readerId } });
  const image = await getDb().instance.findFirstOrThrow({ where: { series: { studyId } }, include: { series: true } });
  const voxels = new Uint8Array(image.columns! * image.rows!).fill(1, 0, 100);
  await saveAnnotation({
    user: { id: readerId, roles: ['radiologist'] },
    annotationId: id,
    input: ZSaveAnnotationInput.parse({
      baseVersion: 0,
      schemaVersion: 1,
      reason: 'save',
      content: {},
      labelmaps: [{ seriesInstanceUid: image.series.seriesInstanceUid, columns: image.columns, rows: image.rows, slices: 1, rle: Buffer.from(encodeLabelmapRle(voxels)).toString('base64') }],
    }),
  });
  return { annotationId: id, series: image.series.seriesInstanceUid };
};
/** A label of the caller's own (its reader, when the caller may be one). */
const ownAnnotation = async (c: Ctx) => {
  const { projectId, studyId } = await projectWithStudy();
  return { annotationId: (await getDb().annotation.create({ data: { projectId, studyId, readerId: c.userId } })).id };
};

/** An upload session of the calling principal's own (someone else's is a 404: resumable-upload.test.ts). */
const ownUpload = async (c: Ctx) => ({ uploadId: (await startUpload(c.userId, { name: 'matrix.dcm', size: 10, type: 'application/dicom' })).id });

/** A dataset definition over a project holding the CR study (made in beforeAll). */
let datasetProjectId: string | undefined;
const datasetBody = () => ({ name: `Matrix dataset ${++unique}`, projectIds: [datasetProjectId!], purpose: 'research', license: 'CC-BY-4.0' });
const dataset = async () => {
  const { id } = await createDataset({ input: ZCreateDatasetInput.parse(datasetBody()), actorId: admin.id });
  return { datasetId: id };
};

/** A published private version (only its row: sharing reads its sealed key, nothing on IPFS). */
const privateVersion = async () => {
  const { datasetId } = await dataset();
  const row = await getDb().datasetVersion.create({
    data: { datasetId, definition: '{}', encrypted: true, sealedKey: newVersionKey().sealed, status: 'published', version: 1, rootCid: `bafymatrix${++unique}`, createdById: admin.id },
  });
  return { versionId: row.id };
};
/** A fresh private version and a radiologist's key to share it with (`body` reads the key id `params` set). */
let shareKeyId = '';
const versionToShare = async () => {
  const version = await privateVersion();
  // Made directly: one radiologist receives a key per principal, past the per-user limit on registering.
  shareKeyId = (await getDb().recipientKey.create({ data: { userId: radiologistIds[0]!, label: `Matrix ${++unique}`, recipient: generateIdentity().recipient } })).id;
  return version;
};

/** A file in the installation's IPFS node, which the gateway serves (adding it again is a no-op). */
const ipfsFile = async () => {
  const { cid } = await (await getIpfs()).addDirectory([{ path: 'matrix.txt', content: new TextEncoder().encode('matrix') }]);
  return { cid, path: ['matrix.txt'] as unknown as string };
};

let unique = 0;
const ROUTES: RouteCase[] = [
  { method: 'GET', template: '/api/health', access: 'public', ok: 200 },
  { method: 'GET', template: '/api/me', access: 'signed-in-pending-ok', ok: 200 },
  { method: 'GET', template: '/api/notifications', access: 'signed-in', ok: 200 },
  { method: 'POST', template: '/api/notifications/read', access: 'signed-in', ok: 200, body: () => ({}) },
  { method: 'GET', template: '/api/admin/users', access: ['admin'], ok: 200 },
  { method: 'GET', template: '/api/admin/access-log', access: ['admin'], ok: 200, query: '?how=view&outcome=denied&from=2026-01-01' },
  {
    method: 'POST',
    template: '/api/admin/users',
    access: ['admin'],
    ok: 201,
    body: () => ({ name: 'Matrix Made', email: `matrix-${++unique}@test.local`, roles: ['radiologist'] }),
  },
  { method: 'GET', template: '/api/admin/users/[userId]', access: ['admin'], ok: 200, params: async (c) => ({ userId: await c.targetUserId() }) },
  {
    method: 'PATCH',
    template: '/api/admin/users/[userId]',
    access: ['admin'],
    ok: 200,
    params: async (c) => ({ userId: await c.targetUserId() }),
    body: () => ({ name: 'Renamed Person' }),
  },
  { method: 'POST', template: '/api/admin/users/[userId]/deactivate', access: ['admin'], ok: 200, params: async (c) => ({ userId: await c.targetUserId() }) },
  { method: 'POST', template: '/api/admin/users/[userId]/reactivate', access: ['admin'], ok: 200, params: async (c) => ({ userId: await c.targetUserId() }) },
  { method: 'POST', template: '/api/admin/users/[userId]/reset-password', access: ['admin'], ok: 200, params: async (c) => ({ userId: await c.targetUserId() }) },
  { method: 'GET', template: '/api/admin/patients', access: ['admin'], ok: 200 },
  // Not multipart (consent.test.ts records real paper forms).
  { method: 'POST', template: '/api/admin/patients/[patientId]/consents', access: ['admin'], ok: 400, params: async () => ({ patientId: await newPatient() }), body: () => ({}) },
  { method: 'POST', template: '/api/admin/patients/[patientId]/claim-codes', access: ['admin'], ok: 201, params: async () => ({ patientId: await newPatient() }), body: () => ({}) },
  {
    method: 'DELETE',
    template: '/api/admin/claim-codes/[codeId]',
    access: ['admin'],
    ok: 200,
    params: async (c) => ({ codeId: (await issueClaimCode({ actorId: c.userId, patientId: await newPatient(), validDays: 7 })).id }),
  },
  // Open to anyone; a password too short is refused before any code is tried (wrong codes are throttled: patient-claims.test.ts).
  { method: 'POST', template: '/api/claim', access: 'public', ok: 400, body: () => ({ code: 'AAAA-AAAA-AAAA-AAAA', name: 'Someone', email: `claim-${++unique}@test.local`, password: 'short' }) },
  { method: 'POST', template: '/api/me/claims', access: ['patient'], ok: 400, body: () => ({ code: 'AAAA-AAAA-AAAA-AAAA' }) },
  { method: 'GET', template: '/api/me/studies', access: ['patient'], ok: 200 },
  { method: 'GET', template: '/api/me/study-accesses', access: ['patient'], ok: 200 },
  { method: 'GET', template: '/api/me/share-links', access: ['patient'], ok: 200 },
  { method: 'POST', template: '/api/me/share-links', access: ['patient'], ok: 404, body: () => ({ studyId: 'not-yours', expiresInDays: 7 }) },
  { method: 'DELETE', template: '/api/me/share-links/[linkId]', access: ['patient'], ok: 404, params: async () => ({ linkId: 'not-yours' }) },
  // A share link is its own key (no session): a token that opens nothing is a 404 for everyone.
  { method: 'GET', template: '/s/[token]/download', access: 'public', ok: 404, params: async () => ({ token: 'x'.repeat(43) }) },
  { method: 'GET', template: '/s/[token]/pictures', access: 'public', ok: 404, params: async () => ({ token: 'x'.repeat(43) }) },
  { method: 'GET', template: '/s/[token]/dicomweb/studies/[study]/series/[series]/metadata', access: 'public', ok: 404, params: async () => ({ token: 'x'.repeat(43), study: '1.2.3', series: '1.2.3.4' }) },
  { method: 'GET', template: '/s/[token]/dicomweb/studies/[study]/series/[series]/thumbnail', access: 'public', ok: 404, params: async () => ({ token: 'x'.repeat(43), study: '1.2.3', series: '1.2.3.4' }) },
  {
    method: 'GET',
    template: '/s/[token]/dicomweb/studies/[study]/series/[series]/instances/[instance]/frames/[frames]',
    access: 'public',
    ok: 404,
    params: async () => ({ token: 'x'.repeat(43), study: '1.2.3', series: '1.2.3.4', instance: '1.2.3.4.5', frames: '1' }),
  },
  { method: 'GET', template: '/api/me/studies/[studyId]/thumbnail', access: ['patient'], ok: 404, params: async () => ({ studyId: 'not-yours' }) },
  { method: 'GET', template: '/api/me/studies/[studyId]/download', access: ['patient'], ok: 404, params: async () => ({ studyId: 'not-yours' }) },
  { method: 'GET', template: '/api/me/studies/[studyId]/pictures', access: ['patient'], ok: 404, params: async () => ({ studyId: 'not-yours' }) },
  { method: 'GET', template: '/api/me/consents', access: ['patient'], ok: 200 },
  { method: 'GET', template: '/api/me/requests', access: ['patient'], ok: 200 },
  { method: 'GET', template: '/api/me/consents/fhir', access: ['patient'], ok: 200 },
  { method: 'GET', template: '/api/admin/consents/fhir', access: ['admin'], ok: 200 },
  // An empty batch (consent.test.ts imports real ones).
  { method: 'POST', template: '/api/admin/consents/fhir', access: ['admin'], ok: 400, body: () => [] },
  // Nobody's request: 404 for patients (consent-requests.test.ts answers real ones).
  { method: 'POST', template: '/api/me/requests/[requestId]', access: ['patient'], ok: 404, params: async () => ({ requestId: 'not-yours' }), body: () => ({ answer: 'approve' }) },
  // A decision that is not the caller's (none is): 404 for patients (consent.test.ts fetches real receipts).
  { method: 'GET', template: '/api/me/consents/[decisionId]/receipt', access: ['patient'], ok: 404, params: async () => ({ decisionId: 'not-yours' }) },
  // Roles first: a purpose Cohort does not know is refused only to patients, as bad input (consent.test.ts decides for real).
  { method: 'POST', template: '/api/me/consents', access: ['patient'], ok: 400, body: () => ({ studyId: null, purpose: 'marketing', decision: 'granted' }) },
  { method: 'GET', template: '/api/admin/settings', access: ['admin'], ok: 200 },
  { method: 'PATCH', template: '/api/admin/settings', access: ['admin'], ok: 200, body: () => ({ 'instance.name': 'Matrix Hospital' }) },
  { method: 'POST', template: '/api/admin/announcements', access: ['admin'], ok: 201, body: () => ({ title: 'Hello', body: 'Matrix test' }) },
  { method: 'GET', template: '/api/account/tokens', access: ['radiologist', 'admin'], ok: 200 },
  { method: 'POST', template: '/api/account/tokens', access: ['radiologist', 'admin'], ok: 201, body: () => ({ name: 'Matrix viewer', expiresInDays: 30 }) },
  {
    method: 'DELETE',
    template: '/api/account/tokens/[tokenId]',
    access: ['radiologist', 'admin'],
    ok: 204,
    // A token of the caller's own: revoking someone else's is a 404 (access-tokens.test.ts).
    params: async (c) => ({ tokenId: (await createAccessToken(c.userId, { name: 'Matrix', expiresInDays: 7 })).view.id }),
  },
  { method: 'GET', template: '/api/account/credit', access: ['radiologist', 'ml_engineer', 'admin'], ok: 200 },
  { method: 'PUT', template: '/api/account/credit', access: ['radiologist', 'ml_engineer', 'admin'], ok: 200, body: () => ({ creditName: 'Matrix Reader' }) },
  { method: 'GET', template: '/api/account/recipient-keys', access: ['radiologist', 'ml_engineer', 'admin'], ok: 200 },
  { method: 'POST', template: '/api/account/recipient-keys', access: ['radiologist', 'ml_engineer', 'admin'], ok: 201, body: () => ({ label: 'Matrix laptop', recipient: generateIdentity().recipient }) },
  {
    method: 'DELETE',
    template: '/api/account/recipient-keys/[keyId]',
    access: ['radiologist', 'ml_engineer', 'admin'],
    ok: 204,
    // A key of the caller's own: removing someone else's is a 404 (dataset-grants.test.ts).
    params: async (c) => ({ keyId: (await registerRecipientKey(c.userId, { label: 'Matrix', recipient: generateIdentity().recipient })).id }),
  },
  { method: 'GET', template: '/api/ledger/key', access: 'public', ok: 200 },
  { method: 'GET', template: '/api/ledger/checkpoint', access: 'signed-in', ok: 200 },
  { method: 'POST', template: '/api/ledger/checkpoint', access: ['admin'], ok: 201 },
  { method: 'GET', template: '/api/ledger/entries', access: 'signed-in', ok: 200, query: '?type=consent.granted&limit=5' },
  { method: 'GET', template: '/api/ledger/entries/[seq]/proof', access: 'signed-in', ok: 200, params: async () => ({ seq: '0' }) },
  { method: 'GET', template: '/api/ledger/proof/inclusion', access: 'signed-in', ok: 200, query: '?seq=0&size=1' },
  { method: 'GET', template: '/api/ledger/proof/consistency', access: 'signed-in', ok: 200, query: '?from=1&to=1' },
  { method: 'GET', template: '/api/ledger/verify', access: ['admin', 'ml_engineer', 'radiologist'], ok: 200 },
  // No PACS answers here (tests/integration/pacs-import.test.ts runs a real Orthanc): the admin gets
  // past the checks to the handler, which says the PACS cannot be reached (502).
  { method: 'POST', template: '/api/admin/pacs/search', access: ['admin'], ok: 502, body: () => ({ source: { baseUrl: 'http://127.0.0.1:9/dicom-web' }, query: {} }) },
  { method: 'GET', template: '/api/admin/pacs/imports', access: ['admin'], ok: 200 },
  {
    method: 'POST',
    template: '/api/admin/pacs/imports',
    access: ['admin'],
    ok: 202,
    body: () => ({ source: { baseUrl: 'http://127.0.0.1:9/dicom-web' }, studyInstanceUids: ['1.2.3'] }),
  },
  {
    method: 'POST',
    template: '/api/admin/pacs/imports/[jobId]/resume',
    access: ['admin'],
    ok: 202,
    params: async () => ({
      jobId: (await getDb().importJob.create({ data: { sourceUrl: 'http://127.0.0.1:9/dicom-web', studyUids: '["1.2.3"]', studiesTotal: 1, status: 'failed' } })).id,
    }),
    body: () => ({ source: { baseUrl: 'http://127.0.0.1:9/dicom-web' } }),
  },
  { method: 'POST', template: '/api/uploads', access: ['admin'], ok: 201, body: () => ({ name: 'matrix.dcm', size: 10, type: 'application/dicom' }) },
  { method: 'GET', template: '/api/uploads/[uploadId]', access: ['admin'], ok: 200, params: ownUpload },
  {
    method: 'PATCH',
    template: '/api/uploads/[uploadId]',
    access: ['admin'],
    ok: 200,
    params: ownUpload,
    raw: () => ({ body: new Uint8Array(10), contentType: 'application/offset+octet-stream' }),
    headers: { 'upload-offset': '0' },
  },
  { method: 'DELETE', template: '/api/uploads/[uploadId]', access: ['admin'], ok: 204, params: ownUpload },
  {
    method: 'POST',
    template: '/api/uploads/[uploadId]/complete',
    access: ['admin'],
    ok: 200,
    // An upload of the caller's own with every byte of a real file arrived.
    params: async (c) => {
      const bytes = readFileSync(sample('valid/pydicom/CT_small.dcm'));
      const { id } = await startUpload(c.userId, { name: 'CT_small.dcm', size: bytes.length, type: 'application/dicom' });
      await appendChunk(id, c.userId, 0, [new Uint8Array(bytes)]);
      return { uploadId: id };
    },
  },
  { method: 'POST', template: '/api/ingest', access: ['admin'], ok: 200, raw: () => ({ body: stowFile().body, contentType: 'application/octet-stream' }) },
  { method: 'POST', template: '/dicomweb/studies', access: ['admin'], ok: 200, raw: stowFile },
  { method: 'POST', template: '/dicomweb/studies/[study]', access: ['admin'], ok: 200, params: stowStudy, raw: stowFile },
  // Projects (membership and 404 for strangers: projects.test.ts).
  { method: 'GET', template: '/api/projects', access: ['radiologist', 'ml_engineer', 'admin'], ok: 200 },
  {
    method: 'POST',
    template: '/api/projects',
    access: ['ml_engineer', 'admin'],
    ok: 201,
    body: () => ({ name: `Matrix made ${++unique}`, schema: matrixSchema }),
  },
  { method: 'GET', template: '/api/projects/[projectId]', access: ['radiologist', 'ml_engineer', 'admin'], ok: 200, params: projectWithStudy },
  { method: 'GET', template: '/api/datasets', access: ['ml_engineer', 'admin'], ok: 200 },
  { method: 'POST', template: '/api/datasets', access: ['ml_engineer', 'admin'], ok: 201, body: () => datasetBody() },
  { method: 'POST', template: '/api/datasets/preview', access: ['ml_engineer', 'admin'], ok: 200, body: () => { const { projectIds, purpose } = datasetBody(); return { projectIds, purpose }; } },
  { method: 'GET', template: '/api/datasets/[datasetId]', access: ['ml_engineer', 'admin'], ok: 200, params: dataset },
  { method: 'PATCH', template: '/api/datasets/[datasetId]', access: ['ml_engineer', 'admin'], ok: 200, params: dataset, body: () => ({ license: 'CC-BY-4.0' }) },
  { method: 'GET', template: '/api/datasets/[datasetId]/preview', access: ['ml_engineer', 'admin'], ok: 200, params: dataset },
  { method: 'GET', template: '/api/datasets/[datasetId]/versions', access: ['ml_engineer', 'admin'], ok: 200, params: dataset },
  { method: 'GET', template: '/api/ipfs/node', access: ['ml_engineer', 'admin'], ok: 200 },
  { method: 'PUT', template: '/api/admin/studies/[studyId]/burned-in-clearance', access: ['admin'], ok: 200, params: async () => ({ studyId: (await projectWithStudy()).studyId }), body: () => ({ cleared: false }) },
  // Nothing in the matrix project is labeled, so the allowed callers hear why nothing can be published (publishing: dataset-publish.test.ts).
  { method: 'POST', template: '/api/datasets/[datasetId]/versions', access: ['ml_engineer', 'admin'], ok: 400, params: dataset },
  { method: 'GET', template: '/api/dataset-versions/[versionId]/key', access: ['ml_engineer', 'admin'], ok: 404, params: async () => ({ versionId: 'no-such-version' }) },
  { method: 'GET', template: '/api/dataset-versions/[versionId]/grants', access: ['ml_engineer', 'admin'], ok: 200, params: privateVersion },
  { method: 'POST', template: '/api/dataset-versions/[versionId]/grants', access: ['ml_engineer', 'admin'], ok: 201, params: versionToShare, body: () => ({ recipientKeyId: shareKeyId }) },
  // Any signed-in user may ask; only the key's owner and ML engineers and admins find a grant, everyone else gets 404 (dataset-grants.test.ts).
  { method: 'GET', template: '/api/dataset-versions/[versionId]/grants/[grantId]', access: 'signed-in', ok: 404, params: async () => ({ versionId: 'no-such-version', grantId: 'no-such-grant' }) },
  // Public like the versions it is about (pseudonyms and ledger proofs only); found: dataset-publish.test.ts.
  { method: 'GET', template: '/api/dataset-revocations/[cid]', access: 'public', ok: 404, params: async () => ({ cid: 'bafkreinotpublishedhere' }) },
  { method: 'GET', template: '/api/projects/[projectId]/preannotate', access: ['ml_engineer', 'admin'], ok: 200, params: projectWithStudy },
  // The matrix study is CR and the model CT: nothing to queue, but the call goes through.
  { method: 'POST', template: '/api/projects/[projectId]/preannotate', access: ['ml_engineer', 'admin'], ok: 202, params: projectWithStudy, body: () => ({ modelName: 'ct-body-lungs-bone' }) },
  { method: 'GET', template: '/api/projects/[projectId]/preannotate/events', access: ['ml_engineer', 'admin'], ok: 200, params: projectWithStudy },
  { method: 'GET', template: '/api/models', access: ['ml_engineer', 'admin'], ok: 200 },
  // Past the role check, an upload without its model file is refused for what it is (registering one per principal would clash by name).
  { method: 'POST', template: '/api/models', access: ['ml_engineer', 'admin'], ok: 400, raw: () => formDataBody([{ name: 'manifest', body: '{}' }]) },
  { method: 'GET', template: '/api/models/[modelName]/edits', access: ['ml_engineer', 'admin'], ok: 200, params: async () => ({ modelName: 'ct-body-lungs-bone' }) },
  { method: 'GET', template: '/api/proposals/[proposalId]', access: ['radiologist', 'ml_engineer', 'admin'], ok: 200, params: proposal },
  { method: 'GET', template: '/api/jobs/[jobId]', access: ['ml_engineer', 'admin'], ok: 200, params: queuedJob },
  { method: 'POST', template: '/api/jobs/[jobId]/cancel', access: ['ml_engineer', 'admin'], ok: 200, params: queuedJob },
  // Restoring is idempotent, so every role's call leaves the project as the other rows need it.
  { method: 'PATCH', template: '/api/projects/[projectId]', access: ['ml_engineer', 'admin'], ok: 200, params: projectWithStudy, body: () => ({ archived: false }) },
  { method: 'POST', template: '/api/projects/[projectId]/studies', access: ['ml_engineer', 'admin'], ok: 200, params: projectWithStudy, body: () => ({ query: { modality: 'CR' } }) },
  { method: 'DELETE', template: '/api/projects/[projectId]/studies/[studyId]', access: ['ml_engineer', 'admin'], ok: 204, params: projectWithStudy },
  { method: 'GET', template: '/api/projects/[projectId]/studies/[studyId]/series', access: ['radiologist', 'ml_engineer', 'admin'], ok: 200, params: projectWithStudy },
  {
    method: 'PUT',
    template: '/api/projects/[projectId]/studies/[studyId]/series/[seriesInstanceUid]',
    access: ['ml_engineer', 'admin'],
    ok: 200,
    params: async () => ({ ...(await projectWithStudy()), seriesInstanceUid: (await stowUids()).series }),
    body: () => ({ toLabel: false }),
  },
  { method: 'PUT', template: '/api/projects/[projectId]/members', access: ['ml_engineer', 'admin'], ok: 204, params: projectWithStudy, body: () => ({ readers: [], reviewers: [] }) },
  {
    method: 'POST',
    template: '/api/projects/[projectId]/schema',
    access: ['ml_engineer', 'admin'],
    ok: 201,
    params: projectWithStudy,
    body: () => ({ schema: { segments: [{ value: 2, name: 'Cyst', color: '#00ff00' }] } }),
  },
  { method: 'POST', template: '/api/projects/[projectId]/studies/[studyId]/annotation', access: ['radiologist'], ok: 201, params: projectWithStudy },
  { method: 'GET', template: '/api/annotations/[annotationId]', access: ['radiologist', 'ml_engineer', 'admin'], ok: 200, params: ownAnnotation },
  {
    method: 'PUT',
    template: '/api/annotations/[annotationId]',
    access: ['radiologist'],
    ok: 200,
    params: ownAnnotation,
    body: () => ({ baseVersion: 0, schemaVersion: 1, reason: 'save', content: {} }),
  },
  { method: 'POST', template: '/api/annotations/[annotationId]/review', access: ['radiologist'], ok: 200, params: submittedLabel, body: () => ({ decision: 'accept' }) },
  { method: 'POST', template: '/api/annotations/[annotationId]/review/start', access: ['radiologist'], ok: 200, params: submittedLabel },
  { method: 'GET', template: '/api/projects/[projectId]/studies/[studyId]/comments', access: ['radiologist', 'ml_engineer', 'admin'], ok: 200, params: projectWithStudy },
  // Managers read comments; readers and reviewers write them.
  { method: 'POST', template: '/api/projects/[projectId]/studies/[studyId]/comments', access: ['radiologist'], ok: 201, params: projectWithStudy, body: () => ({ body: 'Looks right.' }) },
  { method: 'GET', template: '/api/projects/[projectId]/queue', access: ['radiologist'], ok: 200, params: projectWithStudy },
  { method: 'GET', template: '/api/projects/[projectId]/agreement', access: ['radiologist', 'ml_engineer', 'admin'], ok: 200, params: reviewedProject },
  { method: 'GET', template: '/api/annotations/[annotationId]/seg', access: ['radiologist', 'admin'], ok: 200, params: savedLabel, query: (p) => `?series=${p.series}` },
  // Past the checks, the handler finds the SEG segments another study's series (400).
  {
    method: 'POST',
    template: '/api/annotations/[annotationId]/seg',
    access: ['radiologist'],
    ok: 400,
    params: ownAnnotation,
    raw: () => ({ body: new Uint8Array(readFileSync(sample('valid/highdicom/seg_image_ct_binary.dcm'))), contentType: 'application/dicom' }),
  },
  // Reads of what the rows above stored.
  { method: 'GET', template: '/dicomweb/studies', access: ['radiologist', 'admin'], ok: 200, patients: 200, query: '?PatientName=doe*' },
  { method: 'GET', template: '/dicomweb/studies/[study]', access: ['radiologist', 'admin'], patients: 404, ok: 200, params: stowUids },
  { method: 'GET', template: '/dicomweb/studies/[study]/series', access: ['radiologist', 'admin'], patients: 404, ok: 200, params: stowUids },
  { method: 'GET', template: '/dicomweb/studies/[study]/series/[series]', access: ['radiologist', 'admin'], patients: 404, ok: 200, params: stowUids },
  { method: 'GET', template: '/dicomweb/studies/[study]/series/[series]/instances', access: ['radiologist', 'admin'], patients: 404, ok: 200, params: stowUids },
  { method: 'GET', template: '/dicomweb/studies/[study]/series/[series]/instances/[instance]', access: ['radiologist', 'admin'], patients: 404, ok: 200, params: stowUids },
  { method: 'GET', template: '/dicomweb/studies/[study]/metadata', access: ['radiologist', 'admin'], patients: 404, ok: 200, params: stowUids },
  { method: 'GET', template: '/dicomweb/studies/[study]/series/[series]/metadata', access: ['radiologist', 'admin'], patients: 404, ok: 200, params: stowUids },
  { method: 'GET', template: '/dicomweb/studies/[study]/series/[series]/instances/[instance]/metadata', access: ['radiologist', 'admin'], patients: 404, ok: 200, params: stowUids },
  {
    method: 'GET',
    template: '/dicomweb/studies/[study]/series/[series]/instances/[instance]/frames/[frames]',
    access: ['radiologist', 'admin'], patients: 404,
    ok: 200,
    params: async () => ({ ...(await stowUids()), frames: '1' }),
  },
  { method: 'GET', template: '/dicomweb/studies/[study]/series/[series]/thumbnail', access: ['radiologist', 'admin'], patients: 404, ok: 200, params: stowUids },
  {
    method: 'GET',
    template: '/dicomweb/studies/[study]/series/[series]/instances/[instance]/bulkdata/[...path]',
    access: ['radiologist', 'admin'], patients: 404,
    // This CR has no binary attribute: past the checks, a 404 (bulk data itself: qido-wado.test.ts).
    ok: 404,
    params: async () => ({ ...(await stowUids()), path: ['00281221'] as unknown as string }),
  },
  { method: 'GET', template: '/dicomweb/studies/[study]/series/[series]/instances/[instance]/rendered', access: ['radiologist', 'admin'], patients: 404, ok: 200, params: stowUids },
  {
    method: 'GET',
    template: '/dicomweb/studies/[study]/series/[series]/instances/[instance]/frames/[frames]/rendered',
    access: ['radiologist', 'admin'], patients: 404, ok: 200,
    params: async () => ({ ...(await stowUids()), frames: '1' }),
  },
  { method: 'GET', template: '/dicomweb/studies/[study]/series/[series]/instances/[instance]/thumbnail', access: ['radiologist', 'admin'], patients: 404, ok: 200, params: stowUids },
  // Public by design: only published dataset content is ever in the node (tests/integration/ipfs-gateway.test.ts).
  { method: 'GET', template: '/ipfs/[cid]/[[...path]]', access: 'public', ok: 200, params: ipfsFile },
  { method: 'HEAD', template: '/ipfs/[cid]/[[...path]]', access: 'public', ok: 200, params: ipfsFile },
];

/** Routes owned by a library with its own tested rules (tests/integration/auth.test.ts). */
const EXEMPT = new Set(['/api/auth/[...all]']);

// CORS preflights of the DICOMweb reads: public by nature (a browser sends no credentials with them).
ROUTES.push(
  ...ROUTES.filter((r) => r.method === 'GET' && r.template.startsWith('/dicomweb/')).map((r): RouteCase => ({ method: 'OPTIONS', template: r.template, access: 'public', ok: 204 })),
);

const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

function routeFiles(dir = path.join(process.cwd(), 'app')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return routeFiles(full);
    return e.name === 'route.ts' ? [full] : [];
  });
}

function templateOf(file: string): string {
  const rel = path.relative(path.join(process.cwd(), 'app'), path.dirname(file));
  // Route groups "(name)" do not appear in URLs.
  return '/' + rel.split(path.sep).filter((s) => !/^\(.*\)$/.test(s)).join('/');
}

async function moduleFor(template: string): Promise<Record<string, unknown>> {
  const file = routeFiles().find((f) => templateOf(f) === template);
  if (!file) throw new Error(`no route file for ${template}`);
  return import(file);
}

type Principal = { label: string; session: Session | null; roles: Role[]; kind: 'anonymous' | 'dead' | 'pending' | 'member' | 'token'; userId?: string; headers?: Record<string, string> };
const principals: Principal[] = [];
let admin: Awaited<ReturnType<typeof makeUser>>;

beforeAll(async () => {
  await appendSamples(1); // the ledger routes need an entry to prove
  admin = await makeUser(['admin']);
  principals.push({ label: 'anonymous', session: null, roles: [], kind: 'anonymous' });
  for (const role of ['admin', 'radiologist', 'ml_engineer', 'patient'] as const) {
    const u = role === 'admin' ? admin : await makeUser([role]);
    if (role === 'radiologist') radiologistIds.push(u.id);
    principals.push({ label: role, session: await signInOrThrow(u.email, u.password), roles: [role], kind: 'member', userId: u.id });
  }
  const several = await makeUser(['radiologist', 'ml_engineer']);
  radiologistIds.push(several.id);
  principals.push({ label: 'radiologist+ml_engineer', session: await signInOrThrow(several.email, several.password), roles: ['radiologist', 'ml_engineer'], kind: 'member', userId: several.id });
  const expired = await makeUser(['admin']);
  const expiredSession = await signInOrThrow(expired.email, expired.password);
  await expireSessionsOf(expired.id);
  principals.push({ label: 'expired admin session', session: expiredSession, roles: ['admin'], kind: 'dead' });
  const gone = await makeUser(['admin']);
  const goneSession = await signInOrThrow(gone.email, gone.password);
  await setUserActive({ userId: gone.id, active: false, actorId: admin.id });
  principals.push({ label: 'deactivated admin', session: goneSession, roles: ['admin'], kind: 'dead' });
  const pending = await makeUser(['admin'], { temporary: true });
  principals.push({ label: 'admin on a temporary password', session: await signInOrThrow(pending.email, pending.password), roles: ['admin'], kind: 'pending' });
  // Access tokens: accepted by DICOMweb only, with their user's roles; a revoked one nowhere.
  for (const role of ['radiologist', 'admin'] as const) {
    const holder = await makeUser([role]);
    if (role === 'radiologist') radiologistIds.push(holder.id);
    const { token } = await createAccessToken(holder.id, { name: 'Matrix client', expiresInDays: 7 });
    principals.push({ label: `${role} access token`, session: null, roles: [role], kind: 'token', userId: holder.id, headers: { authorization: `Bearer ${token}` } });
  }
  const revoked = await createAccessToken(admin.id, { name: 'Matrix revoked', expiresInDays: 7 });
  await revokeAccessToken(admin.id, revoked.view.id);
  principals.push({ label: 'revoked admin access token', session: null, roles: ['admin'], kind: 'dead', headers: { authorization: `Bearer ${revoked.token}` } });
  await ingestFiles(
    (async function* () {
      yield { body: readFileSync(sample('valid/pydicom/dicomdirtests/77654033/CR1/6154')) };
    })(),
    { actorUserId: admin.id },
  );
  datasetProjectId = (await projectWithStudy()).projectId;
  const forged = { cookie: 'cohort.session_token=forged.c2lnbmF0dXJl' };
  principals.push({ label: 'forged cookie', session: forged, roles: [], kind: 'dead' });
});

// GET /api/health and the gateway start the embedded IPFS node.
afterAll(() => stopIpfs());

function expectedStatus(route: RouteCase, p: Principal): number {
  if (route.access === 'public') return route.ok;
  if (p.kind === 'anonymous' || p.kind === 'dead') return 401;
  if (p.kind === 'token' && !route.template.startsWith('/dicomweb/')) return 401;
  if (p.kind === 'pending') return route.access === 'signed-in-pending-ok' ? route.ok : 403;
  if (route.access === 'signed-in' || route.access === 'signed-in-pending-ok') return route.ok;
  if (route.access.some((r) => p.roles.includes(r))) return route.ok;
  return route.patients !== undefined && p.roles.includes('patient') ? route.patients : 403;
}

describe('route × role matrix', () => {
  it('lists every route handler in app/ (no route without an access test)', async () => {
    const found: string[] = [];
    for (const file of routeFiles()) {
      const template = templateOf(file);
      if (EXEMPT.has(template)) continue;
      const mod = await import(file);
      for (const method of HTTP_METHODS) if (typeof mod[method] === 'function') found.push(`${method} ${template}`);
    }
    expect(found.sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.template}`).sort());
  });

  for (const route of ROUTES) {
    it(`${route.method} ${route.template}`, async () => {
      const mod = await moduleFor(route.template);
      const targetUserId = async () => (await makeUser(['patient'])).id;
      const outcomes: string[] = [];
      const expected: string[] = [];
      for (const p of principals) {
        const params = route.params ? await route.params({ targetUserId, userId: p.userId ?? (await targetUserId()) }) : {};
        const urlPath = route.template.replace(/\[(\w+)\]/g, (_, k: string) => params[k] ?? '') + (typeof route.query === 'function' ? route.query(params) : (route.query ?? ''));
        const raw = route.raw?.();
        const res = await callRoute(mod, route.method, urlPath, {
          session: p.session,
          params,
          body: route.body?.(),
          headers: { ...p.headers, ...route.headers, ...(raw ? { 'content-type': raw.contentType } : {}) },
          ...(raw ? { rawBody: raw.body } : {}),
        });
        outcomes.push(`${p.label}: ${res.status}`);
        expected.push(`${p.label}: ${expectedStatus(route, p)}`);
        if (res.status >= 400) expect(res.json, `${p.label} gets a JSON error`).toMatchObject({ error: expect.any(String), message: expect.any(String) });
      }
      expect(outcomes).toEqual(expected);
    });
  }

  it('answers 404 (not 500) for a user id that does not exist', async () => {
    const adminSession = principals.find((p) => p.label === 'admin')!.session;
    for (const template of ['/api/admin/users/[userId]', '/api/admin/users/[userId]/deactivate', '/api/admin/users/[userId]/reset-password']) {
      const mod = await moduleFor(template);
      const route = ROUTES.find((r) => r.template === template)!;
      const res = await callRoute(mod, route.method, template.replace('[userId]', 'no-such-id'), {
        session: adminSession,
        params: { userId: 'no-such-id' },
        body: route.body?.(),
      });
      expect(res.status, template).toBe(404);
    }
  });

  it('refuses a cookie-bearing write from a foreign site (CSRF), by Origin or by Sec-Fetch-Site', async () => {
    const adminSession = principals.find((p) => p.label === 'admin')!.session;
    const mod = await moduleFor('/api/admin/settings');
    const res = await callRoute(mod, 'PATCH', '/api/admin/settings', {
      session: adminSession,
      body: { 'instance.name': 'Hijacked' },
      headers: { origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
    const target = (await makeUser(['radiologist'])).id;
    const deactivate = await moduleFor('/api/admin/users/[userId]/deactivate');
    // A body-less form POST: no JSON content type to force a preflight.
    const bodyless = await callRoute(deactivate, 'POST', `/api/admin/users/${target}/deactivate`, {
      session: adminSession,
      params: { userId: target },
      headers: { 'sec-fetch-site': 'cross-site', origin: '' },
    });
    expect(bodyless.status).toBe(403);
    const after = await callRoute(mod, 'GET', '/api/admin/settings', { session: adminSession });
    expect(after.json['instance.name']).not.toBe('Hijacked');
  });
});
