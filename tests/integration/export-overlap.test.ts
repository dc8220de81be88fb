/**
 * A dataset study whose label has overlapping segments (a lesion inside the liver, on a layer of its
 * own): its DICOM-SEG keeps both segments whole, and its nnU-Net label, which holds one class per
 * voxel, is the flattened labelmap where the lesion wins over the liver, voxel for voxel.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import dicomParser from 'dicom-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetKeys } from '@/lib/datasets/dataset-keys';
import { exportStudy, type StudyExport } from '@/lib/datasets/export/export-study';
import { publicationWriter } from '@/lib/datasets/publish/publication-files';
import { ZCreateDatasetInput } from '@/lib/datasets/schemas';
import { selectDatasetStudies } from '@/lib/datasets/select-dataset-studies';
import { addProjectStudies } from '@/lib/projects/add-project-studies';
import { createProject } from '@/lib/projects/create-project';
import { ZCreateProjectInput } from '@/lib/projects/schemas';
import { ctStudyOf, decideFor, labelStudy } from '../helpers/datasets';
import { makeUser } from '../helpers/users';

const SIZE = 512;
const FRAME = SIZE * SIZE;
const SLICES = 2;
const SEGMENTS = [
  { value: 1, name: 'Liver', color: '#aa3300' },
  { value: 2, name: 'Lesion', color: '#00ff00' },
];
const staging = mkdtempSync(path.join(os.tmpdir(), 'cohort-export-overlap-'));
const writer = publicationWriter(staging, null);
let exported: Extract<StudyExport, { ok: true }>;

/** A square of `value` on slice `z`: [x0, x1) × [y0, y1). */
function square(voxels: Uint8Array, value: number, z: number, [x0, x1]: [number, number], [y0, y1]: [number, number]): Uint8Array {
  for (let y = y0; y < y1; y++) voxels.fill(value, z * FRAME + y * SIZE + x0, z * FRAME + y * SIZE + x1);
  return voxels;
}
const empty = () => new Uint8Array(FRAME * SLICES);
/** The liver: 100 × 100 on both slices; the lesion: 10 × 20 inside it on slice 1. */
const liver = square(square(empty(), 1, 0, [100, 200], [100, 200]), 1, 1, [100, 200], [100, 200]);
const lesion = square(empty(), 2, 1, [150, 160], [150, 170]);

beforeAll(async () => {
  const [admin, engineer, reader, reviewer] = await Promise.all([makeUser(['admin']), makeUser(['ml_engineer']), makeUser(['radiologist']), makeUser(['radiologist'])]);
  const { studyId, patientId, seriesInstanceUid } = await ctStudyOf('OVERLAP-1', admin, { slices: SLICES });
  await decideFor(patientId, admin, 'research', 'granted');
  const { id: projectId } = await createProject({
    input: ZCreateProjectInput.parse({ name: 'Liver lesions', schema: { segments: SEGMENTS }, readers: [reader.id], reviewers: [reviewer.id] }),
    actorId: engineer.id,
  });
  await addProjectStudies({ projectId, input: { studyIds: [studyId] } });
  await labelStudy({ projectId, studyId, seriesInstanceUid, reader, slices: SLICES, layers: [liver, lesion], acceptedBy: reviewer });
  const { included } = await selectDatasetStudies(ZCreateDatasetInput.parse({ name: 'Liver lesions', projectIds: [projectId], purpose: 'research', license: 'CC-BY-4.0' }));
  const result = await exportStudy({
    study: included[0]!,
    keys: datasetKeys('dataset-overlap'),
    writer,
    modalities: [],
    training: { nnunet: { id: 501, name: 'LiverLesions' }, schema: { segments: SEGMENTS, boxes: [], polygons: [] } },
  });
  if (!result.ok) throw new Error(result.reason);
  exported = result;
});

afterAll(() => rmSync(staging, { recursive: true, force: true }));

const fileOf = (kind: string) => {
  const file = exported.files.find((f) => f.kind === kind);
  if (!file) throw new Error(`No ${kind} among ${exported.files.map((f) => f.kind).join(', ')}`);
  return readFileSync(path.join(writer.dir, file.path));
};

describe('a dataset study with overlapping segments', () => {
  it('writes one DICOM-SEG in which the liver stays whole under the lesion', () => {
    const data = dicomParser.parseDicom(new Uint8Array(fileOf('dicom-seg')));
    expect(data.string('x00620013')).toBe('YES');
    const frames = data.elements.x52009230!.items!.map((item) => item.dataSet!.elements.x0062000a!.items![0]!.dataSet!.uint16('x0062000b'));
    expect(frames).toEqual([1, 1, 2]);
    const pixels = data.byteArray.subarray(data.elements.x7fe00010!.dataOffset, data.elements.x7fe00010!.dataOffset + data.elements.x7fe00010!.length);
    const setBits = (frame: number) => {
      let n = 0;
      for (let i = frame * FRAME; i < (frame + 1) * FRAME; i++) n += (pixels[i >> 3]! >> (i & 7)) & 1;
      return n;
    };
    expect([setBits(0), setBits(1), setBits(2)]).toEqual([10_000, 10_000, 200]);
  });

  it('writes an nnU-Net label with one class per voxel: the lesion over the liver', () => {
    const nifti = gunzipSync(fileOf('nifti-label'));
    expect(nifti.readInt32LE(0)).toBe(348);
    const dims = [1, 2, 3].map((i) => nifti.readInt16LE(40 + 2 * i));
    expect(dims).toEqual([SIZE, SIZE, SLICES]);
    const bytesPerVoxel = nifti.readInt16LE(72) / 8;
    const offset = nifti.readFloatLE(108);
    const counts = new Map<number, number>();
    for (let i = 0; i < SIZE * SIZE * SLICES; i++) {
      const v = bytesPerVoxel === 1 ? nifti[offset + i]! : nifti.readUInt16LE(offset + 2 * i);
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    expect(Object.fromEntries(counts)).toEqual({ 0: SIZE * SIZE * SLICES - 20_000, 1: 20_000 - 200, 2: 200 });
    expect(exported.cases.map((c) => c.label)).toEqual([expect.stringContaining('labelsTr/')]);
  });
});
