/**
 * Detection and classification models in pre-annotation jobs: real ONNX graphs on a real CT series,
 * their boxes and answers stored as proposals in the project schema's classes with provenance and a
 * ledger entry, offered to readers, and measured against what the reader submits.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import dicomParser from 'dicom-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import * as proposalRoute from '@/app/api/proposals/[proposalId]/route';
import * as openRoute from '@/app/api/projects/[projectId]/studies/[studyId]/annotation/route';
import * as annotationRoute from '@/app/api/annotations/[annotationId]/route';
import * as editsRoute from '@/app/api/models/[modelName]/edits/route';
import { env } from '@/lib/config/env';
import { getDb } from '@/lib/db/client';
import { ingestFiles } from '@/lib/dicom/ingest-files';
import { syntheticCtSeries } from '@/lib/dicom/synthetic-ct';
import type { ProposalContent } from '@/lib/inference/proposal-content';
import { refreshModels } from '@/lib/inference/registry';
import { claimNextJob, enqueueJob, getJob } from '@/lib/jobs/job-queue';
import { runJob } from '@/lib/jobs/run-job';
import { addProjectStudies } from '@/lib/projects/add-project-studies';
import { createProject } from '@/lib/projects/create-project';
import { ZCreateProjectInput } from '@/lib/projects/schemas';
import { getBlobStore } from '@/lib/storage/get-blob-store';
import { callRoute, type Session } from '../helpers/api';
import { airFractionModel, fixedBoxesModel, type FixtureModel } from '../helpers/fixture-models';
import { signedInUser } from '../helpers/users';

const SLICES = 6;
const SCHEMA = {
  boxes: [{ id: 'nodule', name: 'Lung nodule', color: '#e63946' }],
  questions: [{ id: 'quality', question: 'Image quality', level: 'series', choices: [{ id: 'good', label: 'Good' }, { id: 'poor', label: 'Poor' }] }],
};

let engineerId: string;
let engineer: Session;
let reader: Session;
let secondReader: Session;
let projectId: string;
let ct: { studyId: string; seriesUid: string };
/** The fraction of each slice's pixels under −500 HU, computed here from the DICOM pixel data. */
let airFractions: number[];

/** Writes a model folder into the uploaded models' directory, as an upload would leave it. */
function installModel({ onnx, manifest }: FixtureModel) {
  const dir = path.join(env.uploadedModelsDir, String(manifest.name));
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'model.onnx'), onnx);
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
  refreshModels();
}

beforeAll(async () => {
  ({ id: engineerId, session: engineer } = await signedInUser(['ml_engineer']));
  const { id: readerId, session } = await signedInUser(['radiologist']);
  const { id: secondId, session: second } = await signedInUser(['radiologist']);
  [reader, secondReader] = [session, second];
  const files = syntheticCtSeries({ slices: SLICES, seed: 3 });
  airFractions = files.map((file) => {
    const ds = dicomParser.parseDicom(file);
    const pixels = ds.elements.x7fe00010!;
    const stored = new Int16Array(file.slice(pixels.dataOffset, pixels.dataOffset + pixels.length).buffer);
    return stored.filter((v) => v - 1024 < -500).length / stored.length;
  });
  await ingestFiles((async function* () { for (const body of files) yield { body }; })(), { actorUserId: engineerId });
  const series = await getDb().series.findFirstOrThrow({ select: { studyId: true, seriesInstanceUid: true } });
  ct = { studyId: series.studyId, seriesUid: series.seriesInstanceUid };
  ({ id: projectId } = await createProject({ input: ZCreateProjectInput.parse({ name: 'Boxes and answers', schema: SCHEMA, readers: [readerId, secondId], readersPerStudy: 2 }), actorId: engineerId }));
  await addProjectStudies({ projectId, input: { studyIds: [ct.studyId] } });

  installModel(fixedBoxesModel('test-nodule-boxes', ['Nodule', 'Mass']));
  // Read at the series' own 512² (no resampling), so the expected probabilities are exact.
  installModel(airFractionModel('test-air-quality', ['Good', 'Poor']));
});

async function runModel(modelName: string) {
  const id = await enqueueJob('inference', { projectId, studyId: ct.studyId, seriesInstanceUid: ct.seriesUid, modelName }, engineerId, { projectId });
  expect(await claimNextJob()).toBe(id);
  await runJob(id);
  const done = await getJob(id);
  expect(done).toMatchObject({ status: 'succeeded', error: null, done: SLICES, total: SLICES });
  return getDb().aiProposal.findUniqueOrThrow({ where: { id: (done.result as { proposalId: string }).proposalId } });
}

async function open() {
  const opened = await callRoute(openRoute, 'POST', `/api/projects/${projectId}/studies/${ct.studyId}/annotation`, { session: reader, params: { projectId, studyId: ct.studyId } });
  return opened.json as { id: string; version: number; proposals: { id: string; task: string; modelName: string; counts: Record<string, number> }[] };
}

describe('a detection model', () => {
  it('proposes the boxes NMS keeps, in the schema’s box class and the image’s own pixels, with provenance', async () => {
    const proposal = await runModel('test-nodule-boxes');
    expect(proposal).toMatchObject({ task: 'detection', modelName: 'test-nodule-boxes', columns: 512, rows: 512, slices: SLICES });
    expect(JSON.parse(proposal.counts)).toEqual({ nodule: SLICES });
    expect(JSON.parse(proposal.parameters)).toMatchObject({ classes: [{ model: 'Nodule', region: 'nodule' }] });
    const content = JSON.parse(Buffer.from(await getBlobStore().read(proposal.outputSha256)).toString('utf8')) as ProposalContent;
    const instances = await getDb().instance.findMany({ select: { sopInstanceUid: true } });
    expect(new Set(content.regions.map((r) => r.sopInstanceUid))).toEqual(new Set(instances.map((i) => i.sopInstanceUid)));
    // 256² input → 512² image: coordinates doubled.
    for (const r of content.regions) expect(r).toMatchObject({ classId: 'nodule', shape: 'box', seriesInstanceUid: ct.seriesUid, frame: 1, points: [[100, 120], [200, 220]], score: 0.9 });

    const entry = await getDb().ledgerEntry.findFirstOrThrow({ where: { type: 'inference.completed' }, orderBy: { seq: 'desc' } });
    const body = JSON.parse(Buffer.from(entry.canonical).toString('utf8')) as { subjects: string[]; payload: Record<string, unknown> };
    expect(body.subjects[0]).toBe(proposal.id);
    expect(body.payload).toMatchObject({ task: 'detection', model: 'test-nodule-boxes', outputSha256: proposal.outputSha256, modelSha256: proposal.modelSha256 });
  });

  it('is offered to the reader, and what they kept, moved, deleted and added is measured on submit', async () => {
    const view = await open();
    const offered = view.proposals.find((p) => p.modelName === 'test-nodule-boxes')!;
    expect(offered).toMatchObject({ task: 'detection', counts: { nodule: SLICES } });
    const got = await callRoute(proposalRoute, 'GET', `/api/proposals/${offered.id}`, { session: reader, params: { proposalId: offered.id } });
    const { regions } = (got.json as { content: ProposalContent }).content;
    expect(regions).toHaveLength(SLICES);

    // Kept four as proposed, moved one a little (IoU ≥ 0.5), deleted one, drew one more.
    const kept = regions.slice(0, 4).map(({ score: _, ...r }) => r);
    const [x1, y1, x2, y2] = [100, 120, 210, 220];
    const moved = { ...kept[0]!, id: 'moved', sopInstanceUid: regions[4]!.sopInstanceUid, points: [[x1, y1], [x2, y2]] };
    const added = { ...kept[0]!, id: 'added', points: [[300, 300], [340, 350]] };
    const submit = await callRoute(annotationRoute, 'PUT', `/api/annotations/${view.id}`, {
      session: reader,
      params: { annotationId: view.id },
      body: { baseVersion: view.version, schemaVersion: 1, reason: 'submit', content: { regions: [...kept, moved, added], answers: [{ questionId: 'quality', seriesInstanceUid: ct.seriesUid, choiceIds: ['good'] }] }, proposals: [{ seriesInstanceUid: ct.seriesUid, proposalId: offered.id }] },
    });
    expect(submit.status).toBe(200);
    const [edit] = await getDb().aiProposalEdit.findMany({ where: { proposalId: offered.id } });
    // 6 proposed, 6 submitted, 5 matched: F1 10/12; mean IoU of the matched: four of 1 and the moved one's.
    const movedIou = (100 * 100) / (110 * 100);
    expect(edit).toMatchObject({ unit: 'boxes', className: 'Nodule', schemaClass: 'nodule', proposalCount: 6, finalCount: 6, intersection: 5 });
    expect(edit!.dice).toBeCloseTo(10 / 12, 10);
    expect(edit!.iou).toBeCloseTo((4 + movedIou) / 5, 10);

    const stats = await callRoute(editsRoute, 'GET', '/api/models/test-nodule-boxes/edits', { session: engineer, params: { modelName: 'test-nodule-boxes' } });
    expect(stats.json.classes).toEqual([expect.objectContaining({ className: 'Nodule', unit: 'boxes', labels: 1 })]);
  });
});

describe('a classification model', () => {
  it('answers the schema question its classes are choices of, from the series’ mean probabilities', async () => {
    const proposal = await runModel('test-air-quality');
    const good = airFractions.reduce((a, b) => a + b, 0) / SLICES;
    const expected = good >= 0.5 ? 'good' : 'poor';
    expect(proposal.task).toBe('classification');
    const counts = JSON.parse(proposal.counts) as Record<string, number>;
    expect(counts.good).toBeCloseTo(good, 3);
    expect(counts.poor).toBeCloseTo(1 - good, 3);
    const content = JSON.parse(Buffer.from(await getBlobStore().read(proposal.outputSha256)).toString('utf8')) as ProposalContent;
    expect(content.answers).toEqual([{ questionId: 'quality', choiceIds: [expected], seriesInstanceUid: ct.seriesUid }]);
    expect(content.scores.map((s) => s.choiceId)).toEqual(['good', 'poor']);

    // A second reader takes the answer but changes it: the proposed choice disagrees, the other too.
    const other = secondReader;
    const opened = await callRoute(openRoute, 'POST', `/api/projects/${projectId}/studies/${ct.studyId}/annotation`, { session: other, params: { projectId, studyId: ct.studyId } });
    const view = opened.json as { id: string; version: number; proposals: { id: string; modelName: string }[] };
    const offered = view.proposals.find((p) => p.modelName === 'test-air-quality')!;
    expect(offered.id).toBe(proposal.id);
    const changed = expected === 'good' ? 'poor' : 'good';
    const submit = await callRoute(annotationRoute, 'PUT', `/api/annotations/${view.id}`, {
      session: other,
      params: { annotationId: view.id },
      body: { baseVersion: view.version, schemaVersion: 1, reason: 'submit', content: { answers: [{ questionId: 'quality', seriesInstanceUid: ct.seriesUid, choiceIds: [changed] }] }, proposals: [{ seriesInstanceUid: ct.seriesUid, proposalId: offered.id }] },
    });
    expect(submit.status).toBe(200);
    const edits = await getDb().aiProposalEdit.findMany({ where: { proposalId: offered.id }, orderBy: { schemaClass: 'asc' } });
    expect(edits.map((e) => ({ unit: e.unit, schemaClass: e.schemaClass, proposalCount: e.proposalCount, finalCount: e.finalCount, dice: e.dice }))).toEqual(
      ['good', 'poor'].map((choice) => ({ unit: 'answers', schemaClass: choice, proposalCount: Number(choice === expected), finalCount: Number(choice === changed), dice: 0 })),
    );
  });

  it('a schema with none of the model’s classes fails the job with the reason and stores nothing', async () => {
    const { id: other } = await createProject({ input: ZCreateProjectInput.parse({ name: 'Segments only', schema: { segments: [{ value: 1, name: 'Body', color: '#ffffff' }] } }), actorId: engineerId });
    await addProjectStudies({ projectId: other, input: { studyIds: [ct.studyId] } });
    const before = await getDb().aiProposal.count();
    for (const modelName of ['test-air-quality', 'test-nodule-boxes']) {
      const id = await enqueueJob('inference', { projectId: other, studyId: ct.studyId, seriesInstanceUid: ct.seriesUid, modelName }, engineerId, { projectId: other });
      expect(await claimNextJob()).toBe(id);
      await runJob(id);
      expect(await getJob(id)).toMatchObject({ status: 'failed', error: expect.stringMatching(/None of the (model's classes|project's questions)/) });
    }
    expect(await getDb().aiProposal.count()).toBe(before);
  });
});
