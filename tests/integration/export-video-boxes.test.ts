/**
 * Boxes drawn on the frames of an endoscopy video (H.264), through a dataset export: the study waits
 * for an admin's burned-in clearance (endoscopy often carries text), then its video is exported
 * de-identified and its boxes go to COCO with the frames they are drawn on, decoded by ffmpeg, in colour.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAnnotation } from '@/lib/annotations/open-annotation';
import { reviewAnnotation } from '@/lib/annotations/review-annotation';
import { saveAnnotation } from '@/lib/annotations/save-annotation';
import { ZSaveAnnotationInput } from '@/lib/annotations/schemas';
import { datasetKeys } from '@/lib/datasets/dataset-keys';
import { exportStudy } from '@/lib/datasets/export/export-study';
import { publicationWriter } from '@/lib/datasets/publish/publication-files';
import { ZCreateDatasetInput } from '@/lib/datasets/schemas';
import { selectDatasetStudies } from '@/lib/datasets/select-dataset-studies';
import { getDb } from '@/lib/db/client';
import { bufferSource } from '@/lib/dicom/byte-source';
import { ingestFiles } from '@/lib/dicom/ingest-files';
import { readDicomHeader } from '@/lib/dicom/read-header';
import { addProjectStudies } from '@/lib/projects/add-project-studies';
import { createProject } from '@/lib/projects/create-project';
import { ZCreateProjectInput } from '@/lib/projects/schemas';
import { setBurnedInClearance } from '@/lib/studies/set-burned-in-clearance';
import { decideFor } from '../helpers/datasets';
import { decodePng } from '../helpers/decode-png';
import { makeUser } from '../helpers/users';
import { FRAME_COLOURS, videoFile } from '../helpers/video-files';

const SCHEMA = { boxes: [{ id: 'polyp', name: 'Polyp', color: '#ff0000' }] };
const staging = mkdtempSync(path.join(os.tmpdir(), 'cohort-export-video-'));
afterAll(() => rmSync(staging, { recursive: true, force: true }));

let projectId: string;
let studyId: string;
let admin: { id: string };
const name = 'Endoscopy boxes';

beforeAll(async () => {
  admin = await makeUser(['admin']);
  const [engineer, reader, reviewer] = [await makeUser(['ml_engineer']), await makeUser(['radiologist']), await makeUser(['radiologist'])];
  const video = videoFile({ codec: 'h264', studyDescription: 'Colonoscopy', patient: { name: 'Endo^Scopy', id: 'ENDO-1' } });
  await ingestFiles((async function* () { yield { body: video }; })(), { actorUserId: admin.id });
  const header = await readDicomHeader(bufferSource(video));
  const study = await getDb().study.findUniqueOrThrow({ where: { studyInstanceUid: header.studyInstanceUid } });
  studyId = study.id;
  await decideFor(study.patientId, admin, 'research', 'granted');

  ({ id: projectId } = await createProject({ input: ZCreateProjectInput.parse({ name, schema: SCHEMA, readers: [reader.id], reviewers: [reviewer.id] }), actorId: engineer.id }));
  await addProjectStudies({ projectId, input: { studyIds: [studyId] } });
  const user = { id: reader.id, roles: ['radiologist' as const] };
  const { id } = await openAnnotation({ user, projectId, studyId });
  const box = (regionId: string, frame: number, points: [number, number][]) => ({ id: regionId, classId: 'polyp', shape: 'box', seriesInstanceUid: header.seriesInstanceUid, sopInstanceUid: header.sopInstanceUid, frame, points });
  await saveAnnotation({
    user,
    annotationId: id,
    input: ZSaveAnnotationInput.parse({ baseVersion: 0, schemaVersion: 1, reason: 'submit', content: { regions: [box('b3', 3, [[10, 8], [30, 20]]), box('b6', 6, [[40, 30], [60, 44]])] }, labelmaps: [] }),
  });
  await reviewAnnotation({ user: { id: reviewer.id, roles: ['radiologist'] }, annotationId: id, input: { decision: 'accept', comment: '' } });
});

async function selected() {
  return selectDatasetStudies(ZCreateDatasetInput.parse({ name, projectIds: [projectId], purpose: 'research', license: 'CC-BY-4.0' }));
}

describe('boxes on video frames in a dataset', () => {
  it('wait for burned-in clearance, then export the video and its boxes on colour COCO frames', async () => {
    expect((await selected()).excluded).toEqual([expect.objectContaining({ studyId, reasons: ['burned_in'] })]);
    await setBurnedInClearance({ studyId, actorId: admin.id, input: { cleared: true, note: 'Checked every frame: no text.' } });
    const { included } = await selected();
    expect(included.map((s) => s.studyId)).toEqual([studyId]);

    const root = path.join(staging, 'v1');
    const exported = await exportStudy({
      study: included[0]!,
      keys: datasetKeys('dataset-video'),
      writer: publicationWriter(root, null),
      modalities: [],
      training: { nnunet: { id: 500, name }, schema: { segments: [], ...SCHEMA, polygons: [] } },
    });
    if (!exported.ok) throw new Error(exported.reason);
    expect(exported.files.filter((f) => f.kind === 'dicom')).toHaveLength(1);
    expect(exported.coco?.skipped).toEqual([]);
    expect(exported.coco?.regions.map((r) => [r.region_id, r.bbox])).toEqual([
      ['b3', [10, 8, 20, 12]],
      ['b6', [40, 30, 20, 14]],
    ]);
    const pngs = exported.files.filter((f) => f.kind === 'coco-image');
    expect(pngs.map((f) => f.path.match(/_(\d+)\.png$/)![1])).toEqual(['3', '6']);
    for (const [i, file] of pngs.entries()) {
      const png = decodePng(readFileSync(path.join(root, 'files', file.path)));
      expect([png.width, png.height, png.channels]).toEqual([64, 48, 3]);
      const centre = [...png.pixels.subarray(3 * (24 * 64 + 32), 3 * (24 * 64 + 32) + 3)];
      const expected = FRAME_COLOURS[i === 0 ? 2 : 5]!;
      expect(centre.every((v, c) => Math.abs(v - expected[c]!) <= 8), `${file.path}: ${centre} vs ${expected}`).toBe(true);
    }
  });
});
