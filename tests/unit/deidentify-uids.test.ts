/**
 * De-identification across instances: the same input and key give the same bytes; UIDs are remapped
 * consistently, so the instances of a series still share their study, series and frame of
 * reference, and references between instances (Source Image Sequence, a DICOM-SEG's referenced
 * series and frames) still point at the right, remapped, instances; dates of one patient move
 * together, keeping the intervals between studies.
 */
import dcmjs from 'dcmjs';
import dicomParser, { type DataSet } from 'dicom-parser';
import { describe, expect, it } from 'vitest';
import { exportDicomSeg, importDicomSeg, type SegSegment, type SegSource } from '@/lib/annotations/dicom-seg';
import type { DcmjsDataset, DcmjsElement } from '@/lib/dicom/deidentify/dcmjs-dataset';
import { deidentifyInstance } from '@/lib/dicom/deidentify/deidentify-instance';
import type { DeidentifyOptions } from '@/lib/dicom/deidentify/schemas';
import { syntheticCtSeries } from '@/lib/dicom/synthetic-ct';
import { phiLadenDicom } from '../helpers/phi-laden-dicom';

const KEY = new Uint8Array(32).map((_, i) => 255 - i);
const OTHER_KEY = new Uint8Array(32).map((_, i) => i);
const OPTIONS: DeidentifyOptions = { uidKey: KEY, patientPseudonym: 'PSEUDO-7' };

const read = (bytes: Uint8Array) => (dcmjs.data.DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer) as unknown as { dict: DcmjsDataset }).dict;
const items = (el: DcmjsElement | undefined) => (el?.Value ?? []) as DcmjsDataset[];
const str = (el: DcmjsElement | undefined) => String(el?.Value?.[0] ?? '');

describe('determinism', () => {
  const [slice] = syntheticCtSeries({ slices: 1 });

  it('gives the same bytes for the same input and key', () => {
    const a = deidentifyInstance(slice!, OPTIONS);
    const b = deidentifyInstance(slice!, OPTIONS);
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
  });

  it('gives other UIDs under another key, and none of the original ones', () => {
    const a = deidentifyInstance(slice!, OPTIONS).report;
    const b = deidentifyInstance(slice!, { ...OPTIONS, uidKey: OTHER_KEY }).report;
    const original = read(slice!);
    for (const key of ['studyInstanceUid', 'seriesInstanceUid', 'sopInstanceUid', 'frameOfReferenceUid'] as const) {
      expect(a[key], key).toMatch(/^2\.25\.\d+$/);
      expect(b[key], key).not.toBe(a[key]);
    }
    expect(a.sopInstanceUid).not.toBe(str(original['00080018']));
    expect(a.sopClassUid).toBe(str(original['00080016']));
  });
});

describe('UIDs across the instances of a series', () => {
  const uids = { studyInstanceUid: '1.2.826.0.1.3680043.10.777.1', seriesInstanceUid: '1.2.826.0.1.3680043.10.777.2', frameOfReferenceUid: '1.2.826.0.1.3680043.10.777.4' };
  const first = phiLadenDicom({ ...uids, sopInstanceUid: '1.2.826.0.1.3680043.10.777.31' });
  // The second instance was derived from the first: its Source Image Sequence names the first.
  const second = phiLadenDicom({ ...uids, sopInstanceUid: '1.2.826.0.1.3680043.10.777.32', referencedSopInstanceUid: '1.2.826.0.1.3680043.10.777.31' });

  it('keeps one study, series and frame of reference', () => {
    const a = deidentifyInstance(first.bytes, OPTIONS).report;
    const b = deidentifyInstance(second.bytes, OPTIONS).report;
    expect(b.studyInstanceUid).toBe(a.studyInstanceUid);
    expect(b.seriesInstanceUid).toBe(a.seriesInstanceUid);
    expect(b.frameOfReferenceUid).toBe(a.frameOfReferenceUid);
    expect(b.sopInstanceUid).not.toBe(a.sopInstanceUid);
  });

  it('points references inside sequences at the remapped instance', () => {
    const a = deidentifyInstance(first.bytes, OPTIONS);
    const b = read(deidentifyInstance(second.bytes, OPTIONS).bytes);
    for (const sequence of ['00082112', '00081140']) {
      // Source Image Sequence, Referenced Image Sequence
      expect(str(items(b[sequence])[0]!['00081155']), sequence).toBe(a.report.sopInstanceUid);
    }
    expect(str(b['00081155'])).toBe(a.report.sopInstanceUid); // Referenced SOP Instance UID at the top level
  });
});

describe('a DICOM-SEG and the CT it was drawn on', () => {
  const SEGMENTS: SegSegment[] = [{ value: 1, name: 'Lesion', color: '#ff0000', code: { scheme: 'SCT', value: '52988006', meaning: 'Lesion' } }];
  const ct = syntheticCtSeries({ slices: 3, patient: { name: 'DOE^JANE', id: 'MRN-PHI-4711', birthDate: '19620704', sex: 'F' }, accessionNumber: 'ACC-PHI-0815', studyDate: '20240131' });

  /** The series as DICOM-SEG export and import see it, read from the files. */
  function segSource(files: Uint8Array[]): SegSource {
    const headers: DataSet[] = files.map((f) => dicomParser.parseDicom(f, { untilTag: 'x7fe00010' }));
    const text = (ds: DataSet, tag: string) => (ds.string(tag) ?? '').trim();
    const numbers = (ds: DataSet, tag: string) => text(ds, tag).split('\\').map(Number);
    const head = headers[0]!;
    return {
      images: headers.map((ds) => ({ sopClassUid: text(ds, 'x00080016'), sopInstanceUid: text(ds, 'x00080018'), frame: 1, position: numbers(ds, 'x00200032') as [number, number, number] })),
      columns: head.uint16('x00280011')!,
      rows: head.uint16('x00280010')!,
      orientation: numbers(head, 'x00200037'),
      pixelSpacing: numbers(head, 'x00280030') as [number, number],
      sliceThickness: Number(text(head, 'x00180050')),
      frameOfReferenceUid: text(head, 'x00200052'),
      study: { studyInstanceUid: text(head, 'x0020000d'), patientName: text(head, 'x00100010'), patientId: text(head, 'x00100020'), studyDate: text(head, 'x00080020'), accessionNumber: text(head, 'x00080050') },
      seriesInstanceUid: text(head, 'x0020000e'),
    };
  }

  const source = segSource(ct);
  const labelmap = new Uint8Array(source.columns * source.rows * ct.length);
  for (const slice of [0, 2]) for (let y = 200; y < 240; y++) labelmap.fill(1, slice * 512 * 512 + y * 512 + 180, slice * 512 * 512 + y * 512 + 230);
  const seg = exportDicomSeg({ labelmap, source, segments: SEGMENTS, contentCreator: 'Reader^Seven' });

  const deidCt = ct.map((file) => deidentifyInstance(file, OPTIONS));
  const deidSeg = deidentifyInstance(seg, OPTIONS);
  const segDict = read(deidSeg.bytes);
  const ctSops = deidCt.map((r) => r.report.sopInstanceUid);

  it('puts the SEG in the de-identified study, on the de-identified frame of reference', () => {
    expect(deidSeg.report.studyInstanceUid).toBe(deidCt[0]!.report.studyInstanceUid);
    expect(str(segDict['00200052'])).toBe(deidCt[0]!.report.frameOfReferenceUid);
    expect(deidSeg.report.seriesInstanceUid).not.toBe(deidCt[0]!.report.seriesInstanceUid);
  });

  it('references the de-identified series and its instances', () => {
    const [series] = items(segDict['00081115']);
    expect(str(series!['0020000E'])).toBe(deidCt[0]!.report.seriesInstanceUid);
    expect(items(series!['0008114A']).map((i) => str(i['00081155'])).sort()).toEqual([...ctSops].sort());
    const frames = items(segDict['52009230']);
    expect(frames.length).toBeGreaterThan(0);
    for (const frame of frames) {
      const derivation = items(frame['00089124'])[0]!; // Derivation Image Sequence
      const sourceImage = items(derivation['00082112'])[0]!; // Source Image Sequence
      expect(ctSops).toContain(str(sourceImage['00081155']));
    }
    // Dimension Organization UID: remapped alike where it is declared and where it is used.
    const organization = str(items(segDict['00209221'])[0]!['00209164']);
    expect(organization).toMatch(/^2\.25\./);
    for (const index of items(segDict['00209222'])) expect(str(index['00209164'])).toBe(organization);
  });

  it('imports back onto the de-identified CT voxel for voxel', async () => {
    const imported = await importDicomSeg(deidSeg.bytes, segSource(deidCt.map((r) => r.bytes)), SEGMENTS);
    expect(Buffer.from(imported.labelmap).equals(Buffer.from(labelmap))).toBe(true);
  });

  it('keeps the SEG a valid SEG: Type 1 Device Serial Number dummied, creator emptied, no PHI', () => {
    expect(str(segDict['00181000'])).toBe('ANONYMOUS');
    expect(segDict['00700084']).toBeDefined(); // Content Creator's Name Z/D, no CT module: Z
    expect(str(segDict['00700084'])).toBe('');
    const text = JSON.stringify(segDict);
    for (const token of ['DOE', 'JANE', 'MRN-PHI-4711', 'ACC-PHI-0815', 'Reader']) expect(text).not.toContain(token);
  });
});

describe('dates of one patient under modified-dates', () => {
  const SHIFT = -400;
  const options: DeidentifyOptions = { ...OPTIONS, retainLongitudinalTemporalInformation: 'modified-dates', dateShiftDays: SHIFT };
  const days = (yyyymmdd: string) => Date.UTC(Number(yyyymmdd.slice(0, 4)), Number(yyyymmdd.slice(4, 6)) - 1, Number(yyyymmdd.slice(6, 8))) / 86_400_000;

  it('moves every date of two studies by the same days, keeping the interval between them', () => {
    const [january] = syntheticCtSeries({ slices: 1, studyDate: '20240131' });
    const [march] = syntheticCtSeries({ slices: 1, studyDate: '20240310' });
    const a = read(deidentifyInstance(january!, options).bytes);
    const b = read(deidentifyInstance(march!, options).bytes);
    expect(str(a['00080020'])).toBe('20221227');
    expect(days(str(b['00080020'])) - days(str(a['00080020']))).toBe(days('20240310') - days('20240131'));
    expect(str(a['00080021'])).toBe(str(a['00080020'])); // Series Date moved alike
    expect(str(a['00080030'])).toBe('093000'); // whole days: the time of day stays
    expect(str(a['00280303'])).toBe('MODIFIED');
  });

  it('removes dates without the option, and says so', () => {
    const [slice] = syntheticCtSeries({ slices: 1, studyDate: '20240131' });
    const out = read(deidentifyInstance(slice!, OPTIONS).bytes);
    expect(out['00080020']).toBeDefined();
    expect(str(out['00080020'])).toBe(''); // Study Date Z: present, empty
    expect(str(out['00080021'])).toBe('19000101'); // Series Date X/D, in a CT module: D
    expect(str(out['00280303'])).toBe('REMOVED');
  });
});
