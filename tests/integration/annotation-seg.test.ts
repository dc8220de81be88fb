/**
 * DICOM-SEG in and out of a reader's label over the real routes: a SEG made by another tool
 * (highdicom) becomes a version, the export is a SEG that imports back to the same voxels, and
 * the wrong files and people are refused.
 */
import { readFileSync } from 'node:fs';
import dicomParser from 'dicom-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import * as openRoute from '@/app/api/projects/[projectId]/studies/[studyId]/annotation/route';
import * as segRoute from '@/app/api/annotations/[annotationId]/seg/route';
import * as annotationRoute from '@/app/api/annotations/[annotationId]/route';
import type { AnnotationView } from '@/lib/annotations/get-annotation';
import { getDb } from '@/lib/db/client';
import { ingestFiles } from '@/lib/dicom/ingest-files';
import { addProjectStudies } from '@/lib/projects/add-project-studies';
import { createProject } from '@/lib/projects/create-project';
import { ZCreateProjectInput } from '@/lib/projects/schemas';
import { callRoute, ORIGIN, signInOrThrow, type Session } from '../helpers/api';
import { sample, samplesUnder } from '../helpers/dicom-samples';
import { makeUser } from '../helpers/users';

const CT2 = samplesUnder('valid/pydicom/dicomdirtests/77654033/CT2');
const SCHEMA = { segments: [{ value: 3, name: 'Bone', color: '#e9c46a', code: { scheme: 'SCT', value: '272673000', meaning: 'Bone' } }] };

let reader: Session;
let engineer: Session;
let stranger: Session;
let annotationId: string;
let seriesUid: string;

beforeAll(async () => {
  const admin = await makeUser(['admin']);
  await ingestFiles(
    (async function* () {
      for (const f of CT2) yield { body: readFileSync(f) };
    })(),
    { actorUserId: admin.id },
  );
  const series = await getDb().series.findFirstOrThrow();
  seriesUid = series.seriesInstanceUid;
  const r = await makeUser(['radiologist']);
  reader = await signInOrThrow(r.email, r.password);
  const e = await makeUser(['ml_engineer']);
  engineer = await signInOrThrow(e.email, e.password);
  const s = await makeUser(['radiologist']);
  stranger = await signInOrThrow(s.email, s.password);
  const { id: projectId } = await createProject({ input: ZCreateProjectInput.parse({ name: 'SEG', schema: SCHEMA, readers: [r.id] }), actorId: admin.id });
  await addProjectStudies({ projectId, input: { studyIds: [series.studyId] } });
  annotationId = ((await callRoute(openRoute, 'POST', '/x', { session: reader, params: { projectId, studyId: series.studyId } })).json as unknown as AnnotationView).id;
});

const post = (session: Session, bytes: Uint8Array, type = 'application/dicom') =>
  callRoute(segRoute, 'POST', `/api/annotations/${annotationId}/seg`, { session, params: { annotationId }, rawBody: bytes, headers: { 'content-type': type } });
const get = (session: Session) => callRoute(segRoute, 'GET', `/api/annotations/${annotationId}/seg?series=${seriesUid}`, { session, params: { annotationId } });
const view = async () => (await callRoute(annotationRoute, 'GET', '/x', { session: reader, params: { annotationId } })).json as unknown as AnnotationView;

describe('DICOM-SEG', () => {
  it('loads a SEG made by highdicom as a new version, its segment matched by code', async () => {
    const res = await post(reader, new Uint8Array(readFileSync(sample('valid/highdicom/seg_image_ct_binary.dcm'))));
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json).toMatchObject({ version: 1, savedAs: 'version' });
    expect(res.json.mapping).toEqual([expect.objectContaining({ segmentNumber: 1, value: 3 })]);
    const saved = (await view()).saved!;
    expect(saved.labelmaps).toHaveLength(1);
    expect(saved.labelmaps[0]!.counts['3']).toBeGreaterThan(0);
  });

  it('exports a SEG that other tools read, and that imports back to the same voxels', async () => {
    const before = (await view()).saved!;
    // The handler itself (callRoute reads bodies as text): the file's exact bytes.
    const res = await segRoute.GET(new Request(`${ORIGIN}/api/annotations/${annotationId}/seg?series=${seriesUid}`, { headers: { cookie: reader.cookie } }), {
      params: Promise.resolve({ annotationId }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/dicom');
    const seg = new Uint8Array(await res.arrayBuffer());
    const data = dicomParser.parseDicom(seg);
    expect(data.string('x00080016')).toBe('1.2.840.10008.5.1.4.1.1.66.4');
    expect(data.string('x00080060')).toBe('SEG');
    const again = await post(reader, seg);
    expect(again.status, JSON.stringify(again.json)).toBe(200);
    const after = (await view()).saved!;
    expect(after.labelmaps[0]!.rle).toBe(before.labelmaps[0]!.rle);
    expect(after.contentHash).toBe(before.contentHash);
  });

  it('refuses a file that is not a SEG of this study, the wrong media type, and people who may not', async () => {
    const versions = await getDb().annotationVersion.count();
    const ct = await post(reader, new Uint8Array(readFileSync(CT2[0]!)));
    expect(ct.status).toBe(400);
    const other = await post(reader, new Uint8Array(readFileSync(sample('valid/pydicom-data/liver.dcm'))));
    expect(other.status).toBe(400);
    expect(other.json.message).toMatch(/not in this study/);
    expect((await post(reader, new Uint8Array([1, 2, 3]), 'text/plain')).status).toBe(415);
    expect((await post(reader, new Uint8Array(200))).status).toBe(400);
    expect((await post(stranger, new Uint8Array(readFileSync(sample('valid/highdicom/seg_image_ct_binary.dcm'))))).status).toBe(404);
    expect(await getDb().annotationVersion.count()).toBe(versions);
    // The file names the patient: ML engineers take labels de-identified, in datasets.
    expect((await get(engineer)).status).toBe(403);
    expect((await get(stranger)).status).toBe(404);
  });
});
