/**
 * Models an ML engineer brings: uploaded from /models, checked like the shipped ones before they can
 * run, registered with a ledger entry, and attached to a project so its studies are pre-annotated as
 * they join. Every bad upload is refused with the reason and leaves nothing behind.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as modelsRoute from '@/app/api/models/route';
import * as projectRoute from '@/app/api/projects/[projectId]/route';
import * as studiesRoute from '@/app/api/projects/[projectId]/studies/route';
import * as preannotateRoute from '@/app/api/projects/[projectId]/preannotate/route';
import { env } from '@/lib/config/env';
import { getDb } from '@/lib/db/client';
import { ingestFiles } from '@/lib/dicom/ingest-files';
import { syntheticCtSeries } from '@/lib/dicom/synthetic-ct';
import { listModels } from '@/lib/inference/registry';
import { pseudonymOf } from '@/lib/ledger/pseudonym';
import { createProject } from '@/lib/projects/create-project';
import { ZCreateProjectInput } from '@/lib/projects/schemas';
import { ZLabelSchema } from '@/lib/annotations/label-schema';
import { modelChoices } from '@/lib/inference/model-choices';
import { callRoute, type Session } from '../helpers/api';
import { formDataBody } from '../helpers/multipart';
import { SHIPPED_MODEL } from '../helpers/model-dirs';
import { signedInUser } from '../helpers/users';

const onnx = readFileSync(path.join(SHIPPED_MODEL, 'model.onnx'));
const shipped = JSON.parse(readFileSync(path.join(SHIPPED_MODEL, 'manifest.json'), 'utf8')) as Record<string, unknown> & { input: Record<string, unknown> };
/** The shipped model under another name: what a hospital's own model looks like to the registry. */
const manifestOf = (over: Record<string, unknown> = {}) => JSON.stringify({ ...shipped, name: 'hospital-ct', title: 'Hospital CT model', version: '2.1.0', ...over });

let engineerId: string;
let engineer: Session;
let radiologist: Session;

beforeAll(async () => {
  ({ id: engineerId, session: engineer } = await signedInUser(['ml_engineer']));
  ({ session: radiologist } = await signedInUser(['radiologist']));
});

function upload(fields: Parameters<typeof formDataBody>[0], session: Session = engineer) {
  const { body, contentType } = formDataBody(fields);
  return callRoute(modelsRoute, 'POST', '/api/models', { session, rawBody: body, headers: { 'content-type': contentType } });
}
const manifestField = (json: string) => ({ name: 'manifest', filename: 'manifest.json', type: 'application/json', body: json });
const modelField = (bytes: Uint8Array = onnx) => ({ name: 'model', filename: 'model.onnx', body: bytes });

/** Nothing of a refused upload stays: no model folder, no staging folder, no ledger entry. */
async function expectNothingLeft() {
  expect(existsSync(env.uploadedModelsDir) ? readdirSync(env.uploadedModelsDir) : []).toEqual([]);
  expect(await getDb().ledgerEntry.count({ where: { type: 'model.registered' } })).toBe(0);
  expect((await listModels()).map((m) => m.name)).not.toContain('hospital-ct');
}

describe('uploading a model', () => {
  it.each([
    ['a body that is not multipart/form-data', () => callRoute(modelsRoute, 'POST', '/api/models', { session: engineer, body: { manifest: {} } }), 415, 'multipart/form-data'],
    ['no manifest', () => upload([modelField()]), 400, 'no manifest'],
    ['no model file', () => upload([manifestField(manifestOf())]), 400, 'no model file'],
    ['a manifest that is not JSON', () => upload([manifestField('{ "name": '), modelField()]), 400, 'not JSON'],
    ['a manifest missing its SHA-256', () => upload([manifestField(manifestOf({ sha256: undefined })), modelField()]), 400, 'sha256'],
    ['an unknown form field', () => upload([manifestField(manifestOf()), modelField(), { name: 'notes', body: 'hello' }]), 400, 'Unexpected form field "notes"'],
    ['a file that is not the one the manifest describes', () => upload([manifestField(manifestOf()), modelField(randomBytes(2048))]), 400, 'the file is not the one the manifest describes'],
    [
      'a file that is not ONNX',
      () => {
        const junk = randomBytes(4096);
        return upload([manifestField(manifestOf({ sha256: createHash('sha256').update(junk).digest('hex') })), modelField(junk)]);
      },
      400,
      'ONNX Runtime cannot load model.onnx',
    ],
    ['a manifest that does not match the graph', () => upload([manifestField(manifestOf({ input: { ...shipped.input, name: 'image' } })), modelField()]), 400, 'The graph has no input "image"'],
  ])('refuses %s with the reason and keeps nothing', async (_, send, status, reason) => {
    const res = await send();
    expect(res.status).toBe(status);
    expect(String(res.json.message)).toContain(reason);
    await expectNothingLeft();
  });

  it('refuses a model file over COHORT_MAX_MODEL_BYTES as it streams', async () => {
    const limit = env.COHORT_MAX_MODEL_BYTES;
    env.COHORT_MAX_MODEL_BYTES = onnx.length - 1;
    try {
      const res = await upload([manifestField(manifestOf()), modelField()]);
      expect(res.status).toBe(413);
      expect(res.json.message).toContain(`larger than ${(onnx.length - 1).toLocaleString('en')} bytes`);
    } finally {
      env.COHORT_MAX_MODEL_BYTES = limit;
    }
    await expectNothingLeft();
  });

  it('refuses radiologists', async () => {
    expect((await upload([manifestField(manifestOf()), modelField()], radiologist)).status).toBe(403);
    await expectNothingLeft();
  });

  it('registers a model that passes every check, with a ledger entry, once', async () => {
    // The model part first: the order of the fields does not matter.
    const res = await upload([modelField(), manifestField(manifestOf())]);
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ name: 'hospital-ct', status: 'ready', problems: [], sha256: shipped.sha256 });
    expect(res.json.dir).toBeUndefined();
    expect(readdirSync(env.uploadedModelsDir)).toEqual(['hospital-ct']);
    expect(readFileSync(path.join(env.uploadedModelsDir, 'hospital-ct', 'model.onnx')).equals(onnx)).toBe(true);

    const listed = await callRoute(modelsRoute, 'GET', '/api/models', { session: engineer });
    expect((listed.json.models as { name: string; status: string }[]).find((m) => m.name === 'hospital-ct')).toMatchObject({ status: 'ready' });

    const entry = await getDb().ledgerEntry.findFirstOrThrow({ where: { type: 'model.registered' } });
    const body = JSON.parse(Buffer.from(entry.canonical).toString('utf8')) as { actor: string; subjects: string[]; payload: Record<string, unknown> };
    expect(body.actor).toBe(pseudonymOf(engineerId));
    expect(body.payload).toMatchObject({ model: 'hospital-ct', modelVersion: '2.1.0', task: 'segmentation', modelSha256: shipped.sha256, manifestHash: res.json.manifestHash });

    // A second model by the same name is refused; the first is untouched.
    const again = await upload([manifestField(manifestOf({ version: '2.2.0' })), modelField()]);
    expect(again.status).toBe(409);
    expect(again.json.message).toContain('already has a model named "hospital-ct" (version 2.1.0)');
    expect(readdirSync(env.uploadedModelsDir)).toEqual(['hospital-ct']);
    expect(await getDb().ledgerEntry.count({ where: { type: 'model.registered' } })).toBe(1);
  });
});

describe('a project’s pre-annotation model', () => {
  let projectId: string;
  const SCHEMA = { segments: [{ value: 1, name: 'Body', color: '#f4a261' }] };

  beforeAll(async () => {
    ({ id: projectId } = await createProject({ input: ZCreateProjectInput.parse({ name: 'Attached', modalities: ['CT'], schema: SCHEMA }), actorId: engineerId }));
  });

  it('is chosen when the project is created, and must read the project’s modalities', async () => {
    await expect(createProject({ input: ZCreateProjectInput.parse({ name: 'MR only', modalities: ['MR'], schema: SCHEMA, modelName: 'ct-body-lungs-bone' }), actorId: engineerId })).rejects.toThrow(
      'reads CT; this project labels MR',
    );
    await expect(createProject({ input: ZCreateProjectInput.parse({ name: 'No such', schema: SCHEMA, modelName: 'no-such-model' }), actorId: engineerId })).rejects.toThrow('No model "no-such-model"');
    expect(await getDb().project.count({ where: { name: { in: ['MR only', 'No such'] } } })).toBe(0);
    const { id } = await createProject({ input: ZCreateProjectInput.parse({ name: 'With a model', modalities: ['CT'], schema: SCHEMA, modelName: 'ct-body-lungs-bone' }), actorId: engineerId });
    expect((await getDb().project.findUniqueOrThrow({ where: { id } })).modelName).toBe('ct-body-lungs-bone');
  });

  it('must find its classes in the project’s schema, at creation and when attached', async () => {
    const boxesOnly = { boxes: [{ id: 'lesion', name: 'Lesion', color: '#e63946' }] };
    await expect(createProject({ input: ZCreateProjectInput.parse({ name: 'Boxes only', schema: boxesOnly, modelName: 'ct-body-lungs-bone' }), actorId: engineerId })).rejects.toThrow(
      "None of the model's classes (Body, Lung, Bone) is a segment of the project's label schema",
    );
    const { id } = await createProject({ input: ZCreateProjectInput.parse({ name: 'Boxes, no model', schema: boxesOnly }), actorId: engineerId });
    const patched = await callRoute(projectRoute, 'PATCH', `/api/projects/${id}`, { session: engineer, params: { projectId: id }, body: { modelName: 'ct-body-lungs-bone' } });
    expect(patched.status).toBe(409);
    expect((await getDb().project.findUniqueOrThrow({ where: { id } })).modelName).toBeNull();
    // Nor is it offered there.
    expect((await modelChoices([], ZLabelSchema.parse(boxesOnly))).map((m) => m.name)).not.toContain('ct-body-lungs-bone');
    expect((await modelChoices([], ZLabelSchema.parse(SCHEMA))).map((m) => m.name)).toContain('ct-body-lungs-bone');
  });

  it('is attached and detached on the project, by its managers only', async () => {
    const patch = (body: unknown, session = engineer) => callRoute(projectRoute, 'PATCH', `/api/projects/${projectId}`, { session, params: { projectId }, body });
    expect((await patch({ modelName: 'hospital-ct' }, radiologist)).status).toBe(403);
    expect((await patch({ modelName: 'no-such-model' })).status).toBe(404);
    expect((await patch({ modelName: 'Not A Name' })).status).toBe(400);
    expect((await patch({ modelName: 'hospital-ct', archived: true })).status).toBe(400);
    expect((await patch({ modelName: null })).json).toEqual({ modelName: null });
    // Without a model attached (or named), there is nothing to run.
    const run = await callRoute(preannotateRoute, 'POST', `/api/projects/${projectId}/preannotate`, { session: engineer, params: { projectId }, body: {} });
    expect(run.status).toBe(400);
    expect(run.json.message).toContain('No model is attached');
    expect((await patch({ modelName: 'hospital-ct' })).json).toEqual({ modelName: 'hospital-ct' });
  });

  it('pre-annotates studies as they join the project', async () => {
    await ingestFiles(
      (async function* () {
        for (const body of syntheticCtSeries({ slices: 3, seed: 4 })) yield { body };
      })(),
      { actorUserId: engineerId },
    );
    const study = await getDb().study.findFirstOrThrow({ orderBy: { createdAt: 'desc' } });
    const res = await callRoute(studiesRoute, 'POST', `/api/projects/${projectId}/studies`, { session: engineer, params: { projectId }, body: { studyIds: [study.id] } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ added: 1, alreadyIn: 0, preannotation: { queued: 1 } });
    const job = await getDb().job.findFirstOrThrow({ where: { projectId } });
    expect(JSON.parse(job.params)).toMatchObject({ studyId: study.id, modelName: 'hospital-ct' });
    // Added again: already in, nothing more queued.
    const again = await callRoute(studiesRoute, 'POST', `/api/projects/${projectId}/studies`, { session: engineer, params: { projectId }, body: { studyIds: [study.id] } });
    expect(again.json).toMatchObject({ added: 0, alreadyIn: 1, preannotation: { queued: 0 } });
    expect(await getDb().job.count({ where: { projectId } })).toBe(1);
  });
});
