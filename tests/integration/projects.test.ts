/**
 * Labeling projects over the real routes and database: creation with a versioned schema and members,
 * studies by worklist query, and the rule that a radiologist sees (and reads through DICOMweb) only
 * the projects and studies they are a member of.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as projectsRoute from '@/app/api/projects/route';
import * as projectRoute from '@/app/api/projects/[projectId]/route';
import * as membersRoute from '@/app/api/projects/[projectId]/members/route';
import * as schemaRoute from '@/app/api/projects/[projectId]/schema/route';
import * as studiesRoute from '@/app/api/projects/[projectId]/studies/route';
import * as studyRoute from '@/app/api/projects/[projectId]/studies/[studyId]/route';
import * as qidoRoute from '@/app/dicomweb/studies/route';
import * as metadataRoute from '@/app/dicomweb/studies/[study]/metadata/route';
import { getDb } from '@/lib/db/client';
import { ingestFiles } from '@/lib/dicom/ingest-files';
import { getLabelingContext } from '@/lib/projects/get-labeling-context';
import { callRoute, signInOrThrow, type Session } from '../helpers/api';
import { sample } from '../helpers/dicom-samples';
import { makeUser } from '../helpers/users';

const SCHEMA = {
  segments: [{ value: 1, name: 'Liver', color: '#aa3300' }],
  boxes: [{ id: 'nodule', name: 'Nodule', color: '#00ff00' }],
  questions: [{ id: 'quality', question: 'Image quality', level: 'study', choices: [{ id: 'good', label: 'Good' }, { id: 'poor', label: 'Poor' }] }],
};
const FILES = { ct: 'valid/pydicom/CT_small.dcm', mr: 'valid/pydicom/MR_small.dcm', cr: 'valid/pydicom/dicomdirtests/77654033/CR1/6154' };

let engineer: Session;
let reader: Session;
let stranger: Session;
let readerId: string;
let reviewerId: string;
let studyIds: Record<keyof typeof FILES, string>;
let studyUids: Record<keyof typeof FILES, string>;

beforeAll(async () => {
  const admin = await makeUser(['admin']);
  await ingestFiles(
    (async function* () {
      for (const f of Object.values(FILES)) yield { body: readFileSync(sample(f)) };
    })(),
    { actorUserId: admin.id },
  );
  const studies = await getDb().study.findMany({ include: { series: { select: { modality: true } } } });
  const byModality = (m: string) => studies.find((s) => s.series.some((r) => r.modality === m))!;
  studyIds = { ct: byModality('CT').id, mr: byModality('MR').id, cr: byModality('CR').id };
  studyUids = { ct: byModality('CT').studyInstanceUid, mr: byModality('MR').studyInstanceUid, cr: byModality('CR').studyInstanceUid };
  const e = await makeUser(['ml_engineer']);
  const r = await makeUser(['radiologist']);
  const v = await makeUser(['radiologist']);
  const s = await makeUser(['radiologist']);
  engineer = await signInOrThrow(e.email, e.password);
  reader = await signInOrThrow(r.email, r.password);
  stranger = await signInOrThrow(s.email, s.password);
  readerId = r.id;
  reviewerId = v.id;
});

const create = (body: unknown, session = engineer) => callRoute(projectsRoute, 'POST', '/api/projects', { session, body });
const get = (projectId: string, session: Session) => callRoute(projectRoute, 'GET', `/api/projects/${projectId}`, { session, params: { projectId } });
const addStudies = (projectId: string, body: unknown, session = engineer) =>
  callRoute(studiesRoute, 'POST', `/api/projects/${projectId}/studies`, { session, params: { projectId }, body });
const counts = async () => ({
  projects: await getDb().project.count(),
  schemas: await getDb().labelSchemaVersion.count(),
  members: await getDb().projectMember.count(),
});

describe('creating a project', () => {
  it('stores the project, schema version 1 (canonical, hashed) and its members together', async () => {
    const res = await create({ name: 'Liver CT', purpose: 'Liver volumes', modalities: ['ct'], readersPerStudy: 2, schema: SCHEMA, readers: [readerId], reviewers: [reviewerId] });
    expect(res.status).toBe(201);
    const id = res.json.id as string;
    const detail = await get(id, engineer);
    expect(detail.status).toBe(200);
    expect(detail.json).toMatchObject({ name: 'Liver CT', modalities: ['CT'], readersPerStudy: 2, schema: { version: 1 }, schemaVersions: 1 });
    expect((detail.json.schema as { hash: string }).hash).toMatch(/^[0-9a-f]{64}$/);
    expect((detail.json.members as { role: string }[]).map((m) => m.role).sort()).toEqual(['reader', 'reviewer']);
  });

  it('rejects a bad schema, a taken name, a non-radiologist member and bad JSON, writing nothing', async () => {
    await create({ name: 'Taken', schema: SCHEMA });
    const before = await counts();
    const badSchema = await create({ name: 'Bad', schema: { segments: [{ value: 1, name: '', color: 'red' }] } });
    expect(badSchema.status).toBe(400);
    expect((badSchema.json.fields as Record<string, string[]>).schema!.join(' ')).toMatch(/segments 1 name: needs a name/);
    expect((await create({ name: 'Empty', schema: {} })).status).toBe(400);
    const taken = await create({ name: 'Taken', schema: SCHEMA });
    expect(taken.status).toBe(409);
    const engineerAsReader = await create({ name: 'Wrong reader', schema: SCHEMA, readers: [(await makeUser(['ml_engineer'])).id] });
    expect(engineerAsReader.status).toBe(400);
    expect(engineerAsReader.json.message).toMatch(/active radiologists/);
    const broken = await callRoute(projectsRoute, 'POST', '/api/projects', { session: engineer, rawBody: '{"name":', headers: { 'content-type': 'application/json' } });
    expect(broken.status).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it('refuses radiologists (they read; ML engineers and admins set projects up)', async () => {
    expect((await create({ name: 'By a reader', schema: SCHEMA }, reader)).status).toBe(403);
  });
});

describe('studies of a project', () => {
  it('adds every study a worklist query matches, skips those already in, and refuses unknown ids whole', async () => {
    const { id } = (await create({ name: 'By query', schema: SCHEMA })).json as { id: string };
    // No model is attached: nothing is pre-annotated.
    expect((await addStudies(id, { query: { modality: 'CT' } })).json).toEqual({ added: 1, alreadyIn: 0, consentRequests: 0, preannotation: { queued: 0 } });
    expect((await addStudies(id, { studyIds: [studyIds.ct, studyIds.mr] })).json).toEqual({ added: 1, alreadyIn: 1, consentRequests: 0, preannotation: { queued: 0 } });
    const unknown = await addStudies(id, { studyIds: [studyIds.cr, 'no-such-study'] });
    expect(unknown.status).toBe(404);
    expect(await getDb().projectStudy.count({ where: { projectId: id } })).toBe(2);
    expect((await addStudies(id, { query: { modality: 'CT', extra: 1 } })).status).toBe(400);
  });

  it('adds studies by their series: modality and series description hold for one same series, alternatives separated by |', async () => {
    const { id } = (await create({ name: 'By series', schema: SCHEMA })).json as { id: string };
    // CT_small has no Series Description; the CR is "Cervical LAT".
    expect((await addStudies(id, { query: { modality: 'CT', seriesDescription: 'cervical' } })).json).toMatchObject({ added: 0 });
    expect((await addStudies(id, { query: { seriesDescription: 'AXIAL | lat' } })).json).toMatchObject({ added: 1 });
    expect((await getDb().projectStudy.findMany({ where: { projectId: id } })).map((s) => s.studyId)).toEqual([studyIds.cr]);
    expect((await addStudies(id, { query: { seriesDescription: 'x'.repeat(129) } })).status).toBe(400);
  });

  it('keeps the series rule it was created with, and gives it to the labeling viewer', async () => {
    const res = await create({ name: 'Lateral views', modalities: ['cr'], seriesDescription: ' lat | ap ', schema: SCHEMA, readers: [readerId] });
    const id = res.json.id as string;
    expect((await get(id, engineer)).json).toMatchObject({ modalities: ['CR'], seriesRule: { modalities: ['CR'], seriesDescription: 'lat | ap' } });
    await addStudies(id, { studyIds: [studyIds.cr] });
    const context = await getLabelingContext({ id: readerId, roles: ['radiologist'] }, id, studyIds.cr, 'label');
    expect(context).toMatchObject({ projectId: id, mode: 'label', seriesSelection: { rule: { modalities: ['CR'], seriesDescription: 'lat | ap' }, choices: {} } });
    expect((await create({ name: 'Long rule', seriesDescription: 'x'.repeat(129), schema: SCHEMA })).status).toBe(400);
  });

  it('changes its series rule for managers only, and never to modalities its model cannot read', async () => {
    const { id } = (await create({ name: 'Rule changes', modalities: ['CT'], schema: { segments: [{ value: 1, name: 'Lung', color: '#00ff00' }] }, modelName: 'ct-body-lungs-bone' })).json as { id: string };
    const patch = (body: unknown, session = engineer) => callRoute(projectRoute, 'PATCH', `/api/projects/${id}`, { session, params: { projectId: id }, body });
    const changed = await patch({ seriesRule: { modalities: ['ct'], seriesDescription: ' lung ' } });
    expect(changed).toMatchObject({ status: 200, json: { seriesRule: { modalities: ['CT'], seriesDescription: 'lung' } } });
    const before = (await get(id, engineer)).json.seriesRule;
    expect(before).toEqual({ modalities: ['CT'], seriesDescription: 'lung' });
    // The attached CT model cannot read MR: refused, nothing changed.
    const mr = await patch({ seriesRule: { modalities: ['MR'], seriesDescription: '' } });
    expect(mr.status).toBe(409);
    expect(mr.json.message).toMatch(/reads CT; this project labels MR/);
    expect((await patch({ seriesRule: { modalities: ['CT'] } })).status).toBe(400);
    expect((await patch({ seriesRule: { modalities: ['CT'], seriesDescription: '' } }, reader)).status).toBe(403);
    expect((await get(id, engineer)).json.seriesRule).toEqual(before);
  });

  it('keeps a study readers have saved labels on', async () => {
    const { id } = (await create({ name: 'Keeps labeled', schema: SCHEMA, readers: [readerId] })).json as { id: string };
    await addStudies(id, { studyIds: [studyIds.ct, studyIds.mr] });
    await getDb().annotation.create({ data: { projectId: id, studyId: studyIds.ct, readerId, version: 1 } });
    const remove = (studyId: string) => callRoute(studyRoute, 'DELETE', `/api/projects/${id}/studies/${studyId}`, { session: engineer, params: { projectId: id, studyId } });
    expect((await remove(studyIds.ct)).status).toBe(409);
    expect((await remove(studyIds.mr)).status).toBe(204);
    expect((await remove(studyIds.mr)).status).toBe(404);
    expect((await getDb().projectStudy.findMany({ where: { projectId: id } })).map((s) => s.studyId)).toEqual([studyIds.ct]);
  });
});

describe('schema versions and members', () => {
  it('publishes a changed schema as the next version and an identical one as no version', async () => {
    const { id } = (await create({ name: 'Versioned', schema: SCHEMA })).json as { id: string };
    const publish = (schema: unknown) => callRoute(schemaRoute, 'POST', `/api/projects/${id}/schema`, { session: engineer, params: { projectId: id }, body: { schema } });
    expect(await publish(SCHEMA)).toMatchObject({ status: 200, json: { version: 1, created: false } });
    const changed = { ...SCHEMA, segments: [...SCHEMA.segments, { value: 2, name: 'Spleen', color: '#0000ff' }] };
    expect(await publish(changed)).toMatchObject({ status: 201, json: { version: 2, created: true } });
    expect((await publish({ segments: [{ value: 0, name: 'Zero', color: '#000000' }] })).status).toBe(400);
    const versions = await getDb().labelSchemaVersion.findMany({ where: { projectId: id }, orderBy: { version: 'asc' } });
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect(versions[0]!.hash).not.toBe(versions[1]!.hash);
  });

  it('replaces readers and reviewers', async () => {
    const { id } = (await create({ name: 'Members', schema: SCHEMA, readers: [readerId] })).json as { id: string };
    const put = await callRoute(membersRoute, 'PUT', `/api/projects/${id}/members`, { session: engineer, params: { projectId: id }, body: { readers: [reviewerId], reviewers: [readerId] } });
    expect(put.status).toBe(204);
    const rows = await getDb().projectMember.findMany({ where: { projectId: id } });
    expect(rows.map((r) => `${r.role}:${r.userId === readerId ? 'r' : 'v'}`).sort()).toEqual(['reader:v', 'reviewer:r']);
  });
});

describe('radiologists see only their projects and their studies', () => {
  it('lists and opens a project for its members only; the rest get 404', async () => {
    const { id } = (await create({ name: 'Members only', schema: SCHEMA, readers: [readerId] })).json as { id: string };
    await addStudies(id, { studyIds: [studyIds.mr] });
    const list = async (session: Session) => ((await callRoute(projectsRoute, 'GET', '/api/projects', { session })).json.projects as { name: string }[]).map((p) => p.name);
    expect(await list(reader)).toContain('Members only');
    expect(await list(stranger)).not.toContain('Members only');
    expect((await get(id, stranger)).status).toBe(404);
    const asReader = await get(id, reader);
    expect(asReader.status).toBe(200);
    expect((asReader.json.studies as { patientName: string | null }[])[0]!.patientName).not.toBeNull();
    // The ML engineer manages the project but is not shown who the patients are.
    expect((await get(id, engineer)).json.studies).toEqual([expect.objectContaining({ patientName: null, patientId: null })]);
  });

  it('serves DICOMweb for a study of their project and 404 for any other', async () => {
    const { id } = (await create({ name: 'DICOMweb scope', schema: SCHEMA, readers: [readerId] })).json as { id: string };
    await addStudies(id, { studyIds: [studyIds.cr] });
    const metadata = (study: string, session: Session) => callRoute(metadataRoute, 'GET', `/dicomweb/studies/${study}/metadata`, { session, params: { study } });
    expect((await metadata(studyUids.cr, reader)).status).toBe(200);
    expect((await metadata(studyUids.cr, stranger)).status).toBe(404);
    const search = async (session: Session) =>
      ((await callRoute(qidoRoute, 'GET', '/dicomweb/studies', { session })).json as unknown as Record<string, { Value: string[] }>[]).map((s) => s['0020000D']!.Value[0]);
    expect(await search(reader)).toContain(studyUids.cr);
    expect(await search(stranger)).toEqual([]);
  });
});

describe('archiving a project', () => {
  it('hides it from its members and freezes it until a manager restores it', async () => {
    const member = await makeUser(['radiologist']);
    const session = await signInOrThrow(member.email, member.password);
    const { id } = (await create({ name: 'Finished', schema: SCHEMA, readers: [member.id] })).json as { id: string };
    await addStudies(id, { studyIds: [studyIds.mr] });
    const archive = (archived: unknown, as = engineer) => callRoute(projectRoute, 'PATCH', `/api/projects/${id}`, { session: as, params: { projectId: id }, body: { archived } });
    const list = async (as: Session, query = '') => ((await callRoute(projectsRoute, 'GET', `/api/projects${query}`, { session: as })).json.projects as { name: string }[]).map((p) => p.name);
    const metadata = () => callRoute(metadataRoute, 'GET', `/dicomweb/studies/${studyUids.mr}/metadata`, { session, params: { study: studyUids.mr } });
    expect((await metadata()).status).toBe(200);

    expect((await archive(true, session)).status).toBe(403);
    expect((await archive('yes')).status).toBe(400);
    const archived = await archive(true);
    expect(archived.status).toBe(200);
    expect(archived.json.archivedAt).toEqual(expect.any(String));
    expect((await archive(true)).json.archivedAt).toBe(archived.json.archivedAt);

    // Its members lose sight of it, its studies included.
    expect(await list(session)).not.toContain('Finished');
    expect((await get(id, session)).status).toBe(404);
    expect((await metadata()).status).toBe(404);
    // Its managers find it among the archived projects, read-only.
    expect(await list(engineer)).not.toContain('Finished');
    expect(await list(engineer, '?archived=1')).toContain('Finished');
    expect((await get(id, engineer)).json).toMatchObject({ archivedAt: expect.any(String), access: { archived: true } });
    const add = await addStudies(id, { studyIds: [studyIds.cr] });
    expect(add.status).toBe(409);
    expect(add.json.message).toMatch(/archived/);
    const rule = await callRoute(projectRoute, 'PATCH', `/api/projects/${id}`, { session: engineer, params: { projectId: id }, body: { seriesRule: { modalities: [], seriesDescription: 'lung' } } });
    expect(rule.status).toBe(409);

    const restored = await archive(false);
    expect(restored.json.archivedAt).toBeNull();
    expect(await list(session)).toContain('Finished');
    expect((await metadata()).status).toBe(200);
  });
});
