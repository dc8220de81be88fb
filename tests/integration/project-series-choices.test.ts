/**
 * Series chosen by hand: a manager labels one series of a project's study although the series rule
 * leaves it out, or leaves out one the rule matches; the labeling viewer's context follows, only
 * managers choose, and nothing is written on a refusal. Readers' labels go on those series only.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as annotationRoute from '@/app/api/annotations/[annotationId]/route';
import * as projectRoute from '@/app/api/projects/[projectId]/route';
import * as openRoute from '@/app/api/projects/[projectId]/studies/[studyId]/annotation/route';
import * as studyRoute from '@/app/api/projects/[projectId]/studies/[studyId]/route';
import * as seriesListRoute from '@/app/api/projects/[projectId]/studies/[studyId]/series/route';
import * as seriesRoute from '@/app/api/projects/[projectId]/studies/[studyId]/series/[seriesInstanceUid]/route';
import { encodeLabelmapRle } from '@/lib/annotations/labelmap-rle.client';
import { getDb } from '@/lib/db/client';
import { ingestFiles } from '@/lib/dicom/ingest-files';
import { syntheticCtSeries } from '@/lib/dicom/synthetic-ct';
import { newUid } from '@/lib/dicom/uid';
import { addProjectStudies } from '@/lib/projects/add-project-studies';
import { createProject } from '@/lib/projects/create-project';
import { getLabelingContext } from '@/lib/projects/get-labeling-context';
import { ZCreateProjectInput } from '@/lib/projects/schemas';
import { callRoute, type Session } from '../helpers/api';
import { signedInUser } from '../helpers/users';

const SCHEMA = {
  segments: [{ value: 1, name: 'Lung', color: '#00ff00' }],
  boxes: [{ id: 'nodule', name: 'Nodule', color: '#ff0000' }],
  questions: [{ id: 'motion', question: 'Motion artefact?', level: 'series', choices: [{ id: 'yes', label: 'Yes' }, { id: 'no', label: 'No' }] }],
};

let engineer: { id: string; session: Session };
let reader: { id: string; session: Session };
let stranger: { id: string; session: Session };
let studyId: string;
/** Series UIDs of the one study: soft tissue (Se 2), lung (Se 3), a dose report (Se 900, no images). */
let uids: { soft: string; lung: string; report: string };

beforeAll(async () => {
  engineer = await signedInUser(['ml_engineer']);
  reader = await signedInUser(['radiologist']);
  stranger = await signedInUser(['radiologist']);
  const study = { studyInstanceUid: newUid(), patient: { name: 'Chosen^Series', id: 'CHOSEN-1', birthDate: '19800101', sex: 'O' as const }, accessionNumber: 'CHOSEN1' };
  const files = [
    ...syntheticCtSeries({ ...study, slices: 1, seriesNumber: 2, seriesDescription: 'Axial 5 mm soft tissue' }),
    ...syntheticCtSeries({ ...study, slices: 1, seriesNumber: 3, seriesDescription: 'Axial 1.25 mm lung' }),
  ];
  await ingestFiles((async function* () { for (const body of files) yield { body }; })(), { actorUserId: engineer.id });
  const row = await getDb().study.findUniqueOrThrow({ where: { studyInstanceUid: study.studyInstanceUid }, include: { series: true } });
  studyId = row.id;
  // A structured report stored with the study: nothing to label in it.
  const report = await getDb().series.create({ data: { seriesInstanceUid: newUid(), studyId, modality: 'SR', seriesNumber: 900, description: 'Dose report' } });
  const uidOf = (text: string) => row.series.find((s) => s.description.includes(text))!.seriesInstanceUid;
  uids = { soft: uidOf('soft'), lung: uidOf('lung'), report: report.seriesInstanceUid };
});

async function lungProject(name: string): Promise<string> {
  const { id } = await createProject({ input: ZCreateProjectInput.parse({ name, modalities: ['CT'], seriesDescription: 'lung', schema: SCHEMA, readers: [reader.id] }), actorId: engineer.id });
  await addProjectStudies({ projectId: id, input: { studyIds: [studyId] } });
  return id;
}

const put = (projectId: string, seriesInstanceUid: string, body: unknown, session = engineer.session, study = studyId) =>
  callRoute(seriesRoute, 'PUT', `/api/projects/${projectId}/studies/${study}/series/${seriesInstanceUid}`, { session, params: { projectId, studyId: study, seriesInstanceUid }, body });
const list = (projectId: string, session: Session) => callRoute(seriesListRoute, 'GET', `/api/projects/${projectId}/studies/${studyId}/series`, { session, params: { projectId, studyId } });
const toLabel = (json: Record<string, unknown>) => (json.series as { seriesInstanceUid: string; toLabel: boolean }[]).filter((s) => s.toLabel).map((s) => s.seriesInstanceUid);
const labelingSelection = async (projectId: string) => (await getLabelingContext({ id: reader.id, roles: ['radiologist'] }, projectId, studyId, 'label'))?.seriesSelection;

describe('series chosen by hand', () => {
  it('lists the study’s series with what the project does with each, for its members', async () => {
    const projectId = await lungProject('Listed series');
    const listed = await list(projectId, reader.session);
    expect(listed.status).toBe(200);
    expect(listed.json.series).toEqual([
      expect.objectContaining({ seriesInstanceUid: uids.soft, number: 2, modality: 'CT', holdsImages: true, matchesRule: false, choice: null, toLabel: false }),
      expect.objectContaining({ seriesInstanceUid: uids.lung, number: 3, holdsImages: true, matchesRule: true, choice: null, toLabel: true }),
      expect.objectContaining({ seriesInstanceUid: uids.report, modality: 'SR', holdsImages: false, toLabel: false }),
    ]);
    expect((await list(projectId, stranger.session)).status).toBe(404);
  });

  it('adds and leaves out series over the rule, and hands the choice to the labeling viewer', async () => {
    const projectId = await lungProject('Chosen series');
    const added = await put(projectId, uids.soft, { toLabel: true });
    expect(added.status).toBe(200);
    expect(toLabel(added.json)).toEqual([uids.soft, uids.lung]);
    const leftOut = await put(projectId, uids.lung, { toLabel: false });
    expect(toLabel(leftOut.json)).toEqual([uids.soft]);
    expect(leftOut.json.series).toContainEqual(expect.objectContaining({ seriesInstanceUid: uids.lung, matchesRule: true, choice: false }));
    expect(await labelingSelection(projectId)).toEqual({ rule: { modalities: ['CT'], seriesDescription: 'lung' }, choices: { [uids.soft]: true, [uids.lung]: false } });
    // Choosing again replaces the choice; null hands the series back to the rule.
    expect(toLabel((await put(projectId, uids.lung, { toLabel: true })).json)).toEqual([uids.soft, uids.lung]);
    expect(toLabel((await put(projectId, uids.soft, { toLabel: null })).json)).toEqual([uids.lung]);
    expect(await getDb().projectSeriesChoice.count({ where: { projectId } })).toBe(1);
    // The project page counts the image series to label per study; none left says the study needs a look.
    const studyRow = async () => ((await callRoute(projectRoute, 'GET', `/api/projects/${projectId}`, { session: engineer.session, params: { projectId } })).json.studies as Record<string, unknown>[])[0];
    expect(await studyRow()).toMatchObject({ seriesToLabel: 1, imageSeriesCount: 2 });
    await put(projectId, uids.lung, { toLabel: false });
    expect(await studyRow()).toMatchObject({ seriesToLabel: 0, imageSeriesCount: 2 });
    // Another project's choices are its own.
    expect((await labelingSelection(await lungProject('Untouched series')))?.choices).toEqual({});
  });

  it('refuses readers, strangers, unknown series and studies, a series with no images and bad input, writing nothing', async () => {
    const projectId = await lungProject('Refused choices');
    await put(projectId, uids.soft, { toLabel: true });
    const before = await getDb().projectSeriesChoice.findMany({ where: { projectId } });
    expect((await put(projectId, uids.lung, { toLabel: false }, reader.session)).status).toBe(403);
    expect((await put(projectId, uids.lung, { toLabel: false }, stranger.session)).status).toBe(403);
    const unknown = await put(projectId, '1.2.3.4', { toLabel: true });
    expect(unknown).toMatchObject({ status: 404, json: { message: 'The study has no such series.' } });
    const otherStudy = await put(projectId, uids.lung, { toLabel: true }, engineer.session, 'no-such-study');
    expect(otherStudy).toMatchObject({ status: 404, json: { message: 'The study is not in this project.' } });
    const report = await put(projectId, uids.report, { toLabel: true });
    expect(report).toMatchObject({ status: 400, json: { message: 'The SR series holds no images to label.' } });
    expect((await put(projectId, uids.lung, { toLabel: 'yes' })).status).toBe(400);
    expect((await put(projectId, uids.lung, { toLabel: false, why: 'blurred' })).status).toBe(400);
    const raw = await callRoute(seriesRoute, 'PUT', '/x', { session: engineer.session, params: { projectId, studyId, seriesInstanceUid: uids.lung }, rawBody: '{"toLabel":', headers: { 'content-type': 'application/json' } });
    expect(raw.status).toBe(400);
    expect(await getDb().projectSeriesChoice.findMany({ where: { projectId } })).toEqual(before);
  });

  it('keeps choices while the project is archived, and drops them with the study', async () => {
    const projectId = await lungProject('Archived choices');
    await put(projectId, uids.lung, { toLabel: false });
    const archive = (archived: boolean) => callRoute(projectRoute, 'PATCH', `/api/projects/${projectId}`, { session: engineer.session, params: { projectId }, body: { archived } });
    await archive(true);
    expect((await put(projectId, uids.lung, { toLabel: null })).status).toBe(409);
    await archive(false);
    expect(await getDb().projectSeriesChoice.count({ where: { projectId } })).toBe(1);
    const removed = await callRoute(studyRoute, 'DELETE', `/api/projects/${projectId}/studies/${studyId}`, { session: engineer.session, params: { projectId, studyId } });
    expect(removed.status).toBe(204);
    expect(await getDb().projectSeriesChoice.count({ where: { projectId } })).toBe(0);
  });
});

describe('labels on the series a project labels', () => {
  /** The reader's copy of the study's label in a fresh lung project. */
  async function openLabel(name: string) {
    const projectId = await lungProject(name);
    const opened = await callRoute(openRoute, 'POST', `/api/projects/${projectId}/studies/${studyId}/annotation`, { session: reader.session, params: { projectId, studyId } });
    expect(opened.status).toBe(201);
    return { projectId, annotationId: opened.json.id as string };
  }
  const images = async (seriesInstanceUid: string) => getDb().instance.findFirstOrThrow({ where: { series: { seriesInstanceUid } }, select: { sopInstanceUid: true, columns: true, rows: true } });
  async function labelmap(seriesInstanceUid: string) {
    const { columns, rows } = await images(seriesInstanceUid);
    const voxels = new Uint8Array(columns! * rows!);
    voxels.fill(1, 1000, 1400);
    return { seriesInstanceUid, columns, rows, slices: 1, rle: Buffer.from(encodeLabelmapRle(voxels)).toString('base64') };
  }
  async function box(seriesInstanceUid: string) {
    const { sopInstanceUid } = await images(seriesInstanceUid);
    return { id: seriesInstanceUid === uids.soft ? 'box-soft' : 'box-lung', classId: 'nodule', shape: 'box', seriesInstanceUid, sopInstanceUid, points: [[10, 10], [40, 40]] };
  }
  const save = (annotationId: string, body: Record<string, unknown>) =>
    callRoute(annotationRoute, 'PUT', `/api/annotations/${annotationId}`, {
      session: reader.session,
      params: { annotationId },
      body: { schemaVersion: 1, reason: 'save', labelmaps: [], content: { regions: [], measurements: [], answers: [] }, ...body },
    });
  const written = async (annotationId: string) => ({
    versions: await getDb().annotationVersion.count({ where: { annotationId } }),
    draft: await getDb().annotationDraft.count({ where: { annotationId } }),
    ledger: await getDb().ledgerEntry.count(),
  });

  it('refuses labelmaps, regions, measurements and per-series answers on a series the project does not label, writing nothing', async () => {
    const { annotationId } = await openLabel('Labels on the lung series');
    const before = await written(annotationId);
    const refusals = [
      { labelmaps: [await labelmap(uids.soft)] },
      { content: { regions: [await box(uids.soft)], measurements: [], answers: [] } },
      { content: { regions: [], measurements: [{ ...(await box(uids.soft)), id: 'm1', kind: 'length', classId: undefined, shape: undefined }], answers: [] } },
      { content: { regions: [], measurements: [], answers: [{ questionId: 'motion', seriesInstanceUid: uids.soft, choiceIds: ['no'] }] } },
      { labelmaps: [await labelmap(uids.soft)], reason: 'autosave' },
    ];
    for (const refused of refusals) {
      const res = await save(annotationId, { baseVersion: 0, ...refused });
      expect(res.status).toBe(400);
      expect(res.json.message).toBe(`Series ${uids.soft} (CT “Axial 5 mm soft tissue”) is not one this project labels (CT series described “lung”): a project manager can add it on the study's page.`);
    }
    expect(await written(annotationId)).toEqual(before);

    // The lung series takes all of them; an empty labelmap on the soft-tissue series says nothing.
    const empty = { ...(await labelmap(uids.soft)), rle: Buffer.from(encodeLabelmapRle(new Uint8Array(512 * 512))).toString('base64') };
    const ok = await save(annotationId, {
      baseVersion: 0,
      labelmaps: [await labelmap(uids.lung), empty],
      content: { regions: [await box(uids.lung)], measurements: [], answers: [{ questionId: 'motion', seriesInstanceUid: uids.lung, choiceIds: ['no'] }] },
    });
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);
  });

  it('takes labels on a series a manager added, and keeps them editable after the series is left out again', async () => {
    const { projectId, annotationId } = await openLabel('Labels on an added series');
    expect((await put(projectId, uids.soft, { toLabel: true })).status).toBe(200);
    const labeled = { labelmaps: [await labelmap(uids.soft)], content: { regions: [await box(uids.soft)], measurements: [], answers: [] } };
    expect((await save(annotationId, { baseVersion: 0, ...labeled })).status).toBe(200);

    // Left out after the reader labeled it: their labels stay theirs to keep, edit or erase.
    expect((await put(projectId, uids.soft, { toLabel: false })).status).toBe(200);
    expect((await save(annotationId, { baseVersion: 1, ...labeled, reason: 'autosave' })).status).toBe(200);
    expect((await save(annotationId, { baseVersion: 1, ...labeled })).status).toBe(200);
    const erased = await save(annotationId, { baseVersion: 2, content: { regions: [await box(uids.soft)], measurements: [], answers: [] } });
    expect(erased.status).toBe(200);
    // Once erased from the latest version, nothing new goes on it.
    const again = await save(annotationId, { baseVersion: 3, ...labeled });
    expect(again.status).toBe(200);
    const gone = await save(annotationId, { baseVersion: 4 });
    expect(gone.status).toBe(200);
    const refused = await save(annotationId, { baseVersion: 5, ...labeled });
    expect(refused).toMatchObject({ status: 400, json: { message: expect.stringContaining('is not one this project labels') } });
  });
});
