import { describe, expect, it } from 'vitest';
import type { LabelSchema } from '@/lib/annotations/label-schema';
import { cocoAnnotationFiles, cocoStudy, regionGeometry, type CocoRegionInput } from '@/lib/datasets/export/coco-export';
import { frameKey, framePng, windowedGray, type CocoFrame } from '@/lib/datasets/export/coco-frames';
import { monaiDatalist } from '@/lib/datasets/export/monai-datalist';
import { nnunetCaseId, nnunetCasePaths, nnunetFolder, nnunetLabelValues, nnunetLayout, trainingLabels, type NnunetCase } from '@/lib/datasets/export/nnunet-layout';
import type { DecodedFrame } from '@/lib/datasets/export/series-volume';
import type { Split } from '@/lib/datasets/schemas';
import { decodePng } from '../helpers/decode-png';

const segments: LabelSchema['segments'] = [
  { value: 7, name: 'Liver lesion', color: '#ff0000', code: { scheme: 'SCT', value: '300331000', meaning: 'Lesion of liver' } },
  { value: 2, name: 'Liver', color: '#00ff00' },
  { value: 12, name: 'Spleen', color: '#0000ff' },
];
const dataset = { id: 501, name: 'Liver & spleen (v2)' };

function caseOf(id: string, split: Split, labeled: boolean, modality = 'CT'): NnunetCase {
  const paths = nnunetCasePaths({ dataset, caseId: id, split, labeled })!;
  return { id, split, modality, ...paths };
}

describe('nnU-Net v2 layout', () => {
  it('names the folder DatasetNNN_Name and the cases after the study and series', () => {
    expect(nnunetFolder(dataset)).toBe('nnunet/Dataset501_Liver_spleen_v2');
    expect(nnunetFolder({ id: 7, name: '***' })).toBe('nnunet/Dataset007_Cohort');
    expect(() => nnunetFolder({ id: 1000, name: 'x' })).toThrow(RangeError);
    expect(nnunetCaseId('study-abc', 0)).toBe('study-abc_s01');
  });

  it('lays train and val cases in imagesTr/labelsTr, test cases in imagesTs/labelsTs', () => {
    const root = 'nnunet/Dataset501_Liver_spleen_v2';
    expect(nnunetCasePaths({ dataset, caseId: 'a_s01', split: 'train', labeled: true })).toEqual({ image: `${root}/imagesTr/a_s01_0000.nii.gz`, label: `${root}/labelsTr/a_s01.nii.gz` });
    expect(nnunetCasePaths({ dataset, caseId: 'a_s01', split: 'val', labeled: true })).toEqual({ image: `${root}/imagesTr/a_s01_0000.nii.gz`, label: `${root}/labelsTr/a_s01.nii.gz` });
    // nnU-Net trains only on labeled cases: an unlabeled training series has no place.
    expect(nnunetCasePaths({ dataset, caseId: 'a_s01', split: 'train', labeled: false })).toBeNull();
    expect(nnunetCasePaths({ dataset, caseId: 'b_s02', split: 'test', labeled: true })).toEqual({ image: `${root}/imagesTs/b_s02_0000.nii.gz`, label: `${root}/labelsTs/b_s02.nii.gz` });
    expect(nnunetCasePaths({ dataset, caseId: 'b_s02', split: 'test', labeled: false })).toEqual({ image: `${root}/imagesTs/b_s02_0000.nii.gz`, label: null });
  });

  it('remaps schema values to consecutive labels in ascending schema value', () => {
    expect(trainingLabels(segments).map((l) => [l.name, l.value, l.schemaValue])).toEqual([
      ['Liver', 1, 2],
      ['Liver lesion', 2, 7],
      ['Spleen', 3, 12],
    ]);
    expect([...nnunetLabelValues(segments)]).toEqual([
      [2, 1],
      [7, 2],
      [12, 3],
    ]);
  });

  it('writes dataset.json with channel_names, consecutive labels, numTraining and file_ending, and fold 0 from the split', () => {
    const cases = [caseOf('s1_s01', 'train', true), caseOf('s2_s01', 'train', true), caseOf('s3_s01', 'val', true), caseOf('s4_s01', 'test', true), caseOf('s5_s01', 'test', false)];
    const files = nnunetLayout({ dataset, segments, cases });
    expect(files.map((f) => f.path)).toEqual(['nnunet/Dataset501_Liver_spleen_v2/dataset.json', 'nnunet/Dataset501_Liver_spleen_v2/splits_final.json']);
    const json = JSON.parse(files[0]!.content);
    expect(json).toMatchObject({
      channel_names: { '0': 'CT' },
      labels: { background: 0, Liver: 1, 'Liver lesion': 2, Spleen: 3 },
      numTraining: 3,
      file_ending: '.nii.gz',
      numTest: 2,
      numTestLabeled: 1,
    });
    const values = Object.values(json.labels as Record<string, number>).sort((a, b) => a - b);
    expect(values).toEqual(values.map((_, i) => i)); // 0, 1, 2, … with no gap
    expect(json.label_values).toContainEqual({ name: 'Liver lesion', value: 2, schema_value: 7, code: { scheme: 'SCT', value: '300331000', meaning: 'Lesion of liver' } });
    expect(JSON.parse(files[1]!.content)).toEqual([{ train: ['s1_s01', 's2_s01'], val: ['s3_s01'] }]);
  });

  it('writes no splits_final.json without val cases, and names a mixed channel after every modality', () => {
    const files = nnunetLayout({ dataset, segments, cases: [caseOf('a', 'train', true, 'MR'), caseOf('b', 'train', true, 'CT')] });
    expect(files.map((f) => f.path)).toEqual(['nnunet/Dataset501_Liver_spleen_v2/dataset.json']);
    expect(JSON.parse(files[0]!.content).channel_names).toEqual({ '0': 'CT+MR' });
  });

  it('refuses cases it did not lay out, and writes nothing for a schema without segments', () => {
    const good = caseOf('a', 'train', true);
    expect(() => nnunetLayout({ dataset, segments, cases: [{ ...good, image: 'elsewhere/a.nii.gz' }] })).toThrow(/not where/);
    expect(() => nnunetLayout({ dataset, segments, cases: [good, good] })).toThrow(/twice/);
    expect(() => nnunetLayout({ dataset, segments, cases: [{ ...good, label: null }] })).toThrow(/not where/);
    expect(nnunetLayout({ dataset, segments: [], cases: [] })).toEqual([]);
  });
});

describe('MONAI datalist', () => {
  it('lists training, validation and test entries relative to the datalist, with the labels map', () => {
    const cases = [caseOf('s1_s01', 'train', true), caseOf('s3_s01', 'val', true), caseOf('s4_s01', 'test', true), caseOf('s5_s01', 'test', false)];
    const file = monaiDatalist({ name: 'Liver', segments, cases });
    expect(file.path).toBe('monai/dataset.json');
    const json = JSON.parse(file.content);
    const root = '../nnunet/Dataset501_Liver_spleen_v2';
    expect(json.training).toEqual([{ image: `${root}/imagesTr/s1_s01_0000.nii.gz`, label: `${root}/labelsTr/s1_s01.nii.gz` }]);
    expect(json.validation).toEqual([{ image: `${root}/imagesTr/s3_s01_0000.nii.gz`, label: `${root}/labelsTr/s3_s01.nii.gz` }]);
    expect(json.test).toEqual([{ image: `${root}/imagesTs/s4_s01_0000.nii.gz`, label: `${root}/labelsTs/s4_s01.nii.gz` }, { image: `${root}/imagesTs/s5_s01_0000.nii.gz` }]);
    expect(json.labels).toEqual({ '0': 'background', '1': 'Liver', '2': 'Liver lesion', '3': 'Spleen' });
    expect(json).toMatchObject({ modality: { '0': 'CT' }, numTraining: 1, numValidation: 1, numTest: 2, tensorImageSize: '3D' });
  });
});

/** A synthetic decoded frame: width × height, modality value = stored × slope + intercept. */
function frame(width: number, height: number, stored: (i: number) => number, more: Partial<DecodedFrame> = {}): DecodedFrame {
  const samples = Int16Array.from({ length: width * height }, (_, i) => stored(i));
  return {
    sopInstanceUid: '1.2.3',
    frame: 1,
    columns: width,
    rows: height,
    samples,
    range: [Math.min(...samples), Math.max(...samples)],
    rescale: { slope: 1, intercept: 0 },
    window: null,
    monochrome1: false,
    position: null,
    orientation: null,
    pixelSpacing: null,
    sliceThickness: null,
    spacingBetweenSlices: null,
    ...more,
  };
}

const regionSchema = { boxes: [{ id: 'nodule', name: 'Nodule', color: '#ff0000' }], polygons: [{ id: 'mass', name: 'Mass', color: '#00ff00' }] };
const box = (id: string, points: [number, number][], more: Partial<CocoRegionInput> = {}): CocoRegionInput => ({ id, classId: 'nodule', shape: 'box', sopInstanceUid: '1.2.3', frame: 1, points, ...more });

describe('COCO', () => {
  it('makes a box bbox [x, y, w, h] from its corners, area w·h, no segmentation', () => {
    expect(regionGeometry({ shape: 'box', points: [[10.5, 20], [30, 25.25]] }, 100, 100)).toEqual({ bbox: [10.5, 20, 19.5, 5.25], area: 102.38 });
  });

  it('makes a polygon its flattened ring, bbox and shoelace area', () => {
    // A right triangle with legs 10 and 20, and an L-shaped hexagon of area 3.
    expect(regionGeometry({ shape: 'polygon', points: [[0, 0], [10, 0], [0, 20]] }, 100, 100)).toEqual({ bbox: [0, 0, 10, 20], area: 100, segmentation: [[0, 0, 10, 0, 0, 20]] });
    const l: [number, number][] = [[0, 0], [2, 0], [2, 1], [1, 1], [1, 2], [0, 2]];
    expect(regionGeometry({ shape: 'polygon', points: l }, 10, 10)).toMatchObject({ area: 3, bbox: [0, 0, 2, 2] });
    // Clockwise gives the same area.
    expect(regionGeometry({ shape: 'polygon', points: [...l].reverse() }, 10, 10)).toMatchObject({ area: 3 });
  });

  it('clamps to the image and drops what has no area inside it', () => {
    expect(regionGeometry({ shape: 'box', points: [[-5, 90], [20, 130]] }, 64, 100)).toEqual({ bbox: [0, 90, 20, 10], area: 200 });
    expect(regionGeometry({ shape: 'box', points: [[70, 10], [80, 20]] }, 64, 100)).toBeNull();
    expect(regionGeometry({ shape: 'polygon', points: [[1, 1], [5, 5], [9, 9]] }, 64, 100)).toBeNull();
  });

  it('builds one PNG per labeled frame and the annotation files with ids, categories and iscrowd 0', () => {
    const grey = frame(8, 4, (i) => i * 10);
    const frames = new Map<string, CocoFrame | string>([
      [frameKey('1.2.3', 1), { columns: 8, rows: 4, png: () => framePng(grey) }],
      [frameKey('1.2.4', 2), 'Instance 1.2.4 is not decoded on the server.'],
    ]);
    const regions: CocoRegionInput[] = [
      box('r1', [[1, 1], [3, 2]]),
      { id: 'r2', classId: 'mass', shape: 'polygon', sopInstanceUid: '1.2.3', frame: 1, points: [[0, 0], [4, 0], [4, 2]] },
      box('r3', [[1, 1], [2, 2]], { sopInstanceUid: '1.2.4', frame: 2 }),
      box('r4', [[1, 1], [2, 2]], { classId: 'unknown' }),
      box('r5', [[1, 1], [2, 2]], { frame: 9 }),
    ];
    const { part, pngs } = cocoStudy({ study: 'study-a', split: 'train', regions, frames, schema: regionSchema });
    expect(pngs.map((p) => p.path)).toEqual(['coco/images/study-a/1.2.3_1.png']);
    expect(part.images).toEqual([{ file_name: 'study-a/1.2.3_1.png', width: 8, height: 4, study: 'study-a', sop_instance_uid: '1.2.3', frame: 1 }]);
    expect(part.skipped.map((s) => [s.regionId, s.reason])).toEqual([
      ['r3', 'Instance 1.2.4 is not decoded on the server.'],
      ['r4', 'class "unknown" is not a box or polygon class of the schema'],
      ['r5', 'its image is not in the dataset'],
    ]);
    const png = decodePng(pngs[0]!.content);
    expect([png.width, png.height, png.channels]).toEqual([8, 4, 1]);

    const test = cocoStudy({ study: 'study-b', split: 'test', regions: [box('t1', [[0, 0], [8, 4]])], frames, schema: regionSchema });
    const files = cocoAnnotationFiles({ parts: [part, test.part], schema: regionSchema });
    expect(files.map((f) => f.path)).toEqual(['coco/annotations/instances_train.json', 'coco/annotations/instances_test.json']);
    const train = JSON.parse(files[0]!.content);
    expect(train.categories).toEqual([
      { id: 1, name: 'Nodule', supercategory: 'box', cohort_class_id: 'nodule' },
      { id: 2, name: 'Mass', supercategory: 'polygon', cohort_class_id: 'mass' },
    ]);
    expect(train.images).toEqual([{ id: 1, file_name: 'study-a/1.2.3_1.png', width: 8, height: 4, study: 'study-a', sop_instance_uid: '1.2.3', frame: 1 }]);
    expect(train.annotations).toEqual([
      { id: 1, image_id: 1, category_id: 1, bbox: [1, 1, 2, 1], area: 2, iscrowd: 0, cohort_region_id: 'r1' },
      { id: 2, image_id: 1, category_id: 2, bbox: [0, 0, 4, 2], area: 4, segmentation: [[0, 0, 4, 0, 4, 2]], iscrowd: 0, cohort_region_id: 'r2' },
    ]);
    const testJson = JSON.parse(files[1]!.content);
    expect(testJson.images[0]).toMatchObject({ id: 2, file_name: 'study-b/1.2.3_1.png' });
    expect(testJson.annotations).toEqual([{ id: 3, image_id: 2, category_id: 1, bbox: [0, 0, 8, 4], area: 32, iscrowd: 0, cohort_region_id: 't1' }]);
  });

  it('windows frames to 8 bits: the file window, else the range; MONOCHROME1 inverted', () => {
    // Values −1000…1000 in HU through a window of 0 ± 200.
    const ct = frame(5, 1, (i) => [-1000, -200, 0, 200, 1000][i]!, { window: { center: 0, width: 400 } });
    expect([...windowedGray(ct)]).toEqual([0, 0, 128, 255, 255]);
    const plain = frame(3, 1, (i) => [10, 20, 30][i]!);
    expect([...windowedGray(plain)]).toEqual([0, 128, 255]);
    expect([...windowedGray({ ...plain, monochrome1: true })]).toEqual([255, 127, 0]);
    const rescaled = frame(2, 1, (i) => [0, 1000][i]!, { rescale: { slope: 1, intercept: -1024 }, window: { center: -524, width: 1000 } });
    expect([...windowedGray(rescaled)]).toEqual([0, 255]);
  });
});
