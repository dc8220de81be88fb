/**
 * Which series a dataset exports for a study labeled at study level only (answers, no region): the
 * series its project labels (the project's series rule, and series chosen by hand), as de-identified DICOM; every series of the
 * dataset's modalities when the rule names none of them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFiles } from '@/lib/dicom/ingest-files';
import { newUid } from '@/lib/dicom/uid';
import { syntheticCtSeries } from '@/lib/dicom/synthetic-ct';
import { datasetKeys } from '@/lib/datasets/dataset-keys';
import { exportStudy } from '@/lib/datasets/export/export-study';
import { publicationWriter } from '@/lib/datasets/publish/publication-files';
import { ZCreateDatasetInput } from '@/lib/datasets/schemas';
import { selectDatasetStudies } from '@/lib/datasets/select-dataset-studies';
import { getDb } from '@/lib/db/client';
import { addProjectStudies } from '@/lib/projects/add-project-studies';
import { createProject } from '@/lib/projects/create-project';
import { ZCreateProjectInput } from '@/lib/projects/schemas';
import { setSeriesChoice } from '@/lib/projects/set-series-choice';
import { decideFor, labelStudy } from '../helpers/datasets';
import { makeUser } from '../helpers/users';

const SCHEMA = { questions: [{ id: 'finding', question: 'Finding', level: 'study', choices: [{ id: 'normal', label: 'Normal' }, { id: 'abnormal', label: 'Abnormal' }] }] };
const staging = mkdtempSync(path.join(os.tmpdir(), 'cohort-export-series-'));
let actors: { admin: { id: string }; engineer: { id: string }; reader: { id: string }; reviewer: { id: string } };
let studyId: string;
let patientId: string;

beforeAll(async () => {
  actors = { admin: await makeUser(['admin']), engineer: await makeUser(['ml_engineer']), reader: await makeUser(['radiologist']), reviewer: await makeUser(['radiologist']) };
  // One study, two CT series: soft tissue (Se 2) and lung (Se 3) reconstructions.
  const study = { studyInstanceUid: newUid(), patient: { name: 'Series^Rule', id: 'SERIES-RULE-1', birthDate: '19800101', sex: 'O' as const }, accessionNumber: 'RULE1' };
  const files = [
    ...syntheticCtSeries({ ...study, slices: 2, seriesNumber: 2, seriesDescription: 'Axial 5 mm soft tissue' }),
    ...syntheticCtSeries({ ...study, slices: 3, seriesNumber: 3, seriesDescription: 'Axial 5 mm LUNG' }),
  ];
  await ingestFiles((async function* () { for (const body of files) yield { body }; })(), { actorUserId: actors.admin.id });
  ({ id: studyId, patientId } = await getDb().study.findUniqueOrThrow({ where: { studyInstanceUid: study.studyInstanceUid } }));
  await decideFor(patientId, actors.admin, 'research', 'granted');
});

afterAll(() => rmSync(staging, { recursive: true, force: true }));

/**
 * Exports the study as labeled (answers only, accepted) in a new project with this series
 * description rule, and these series (by description) added (true) or left out (false) by hand.
 */
async function exportedSeries(name: string, seriesDescription: string, choices: Record<string, boolean> = {}): Promise<{ folders: string[]; instances: number }> {
  const { id: projectId } = await createProject({ input: ZCreateProjectInput.parse({ name, seriesDescription, schema: SCHEMA, readers: [actors.reader.id], reviewers: [actors.reviewer.id] }), actorId: actors.engineer.id });
  await addProjectStudies({ projectId, input: { studyIds: [studyId] } });
  for (const [description, toLabel] of Object.entries(choices)) {
    const { seriesInstanceUid } = await getDb().series.findFirstOrThrow({ where: { studyId, description } });
    await setSeriesChoice({ user: { id: actors.engineer.id, roles: ['ml_engineer'] }, projectId, studyId, seriesInstanceUid, toLabel });
  }
  await labelStudy({ projectId, studyId, seriesInstanceUid: '', reader: actors.reader, answers: [{ questionId: 'finding', choiceIds: ['normal'] }], acceptedBy: actors.reviewer });
  const { included } = await selectDatasetStudies(ZCreateDatasetInput.parse({ name, projectIds: [projectId], purpose: 'research', license: 'CC-BY-4.0' }));
  expect(included.map((s) => s.studyId)).toEqual([studyId]);
  const exported = await exportStudy({
    study: included[0]!,
    keys: datasetKeys(`dataset-${name}`),
    writer: publicationWriter(path.join(staging, name), null),
    modalities: [],
    training: { nnunet: { id: 500, name }, schema: { segments: [], boxes: [], polygons: [] } },
  });
  if (!exported.ok) throw new Error(exported.reason);
  const dicom = exported.files.filter((f) => f.kind === 'dicom');
  return { folders: [...new Set(dicom.map((f) => f.path.split('/').slice(0, 3).join('/').replace(/^dicom\/[^/]+\//, '')))], instances: dicom.length };
}

describe('a study-level label in a dataset', () => {
  it("exports the series the project's rule labels", async () => {
    expect(await exportedSeries('Lung series', 'lung')).toEqual({ folders: ['s01'], instances: 3 });
  });

  it('exports the series a manager chose by hand over the rule', async () => {
    expect(await exportedSeries('Soft tissue by hand', 'lung', { 'Axial 5 mm LUNG': false, 'Axial 5 mm soft tissue': true })).toEqual({ folders: ['s01'], instances: 2 });
    expect(await exportedSeries('Lung left out', '', { 'Axial 5 mm LUNG': false })).toEqual({ folders: ['s01'], instances: 2 });
  });

  it('exports every series when the project names none, or when its rule matches none', async () => {
    expect(await exportedSeries('Every series', '')).toEqual({ folders: ['s01', 's02'], instances: 5 });
    expect(await exportedSeries('Bone series', 'bone')).toEqual({ folders: ['s01', 's02'], instances: 5 });
  });
});
