import { newUid } from './uid';
import { writePart10 } from './write-part10';

const CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2';
const SIZE = 512;
const PIXEL_MM = 500 / SIZE;

export type SyntheticCtOptions = {
  slices: number;
  /** Slice spacing and thickness, mm. */
  spacing?: number;
  patient?: { name: string; id: string; birthDate: string; sex: 'F' | 'M' | 'O' };
  studyDescription?: string;
  accessionNumber?: string;
  studyDate?: string;
  /** The study the series belongs to (a new one by default): calls with the same UID make one study of several series. */
  studyInstanceUid?: string;
  /** Series Description; by default "Axial <spacing> mm soft tissue". */
  seriesDescription?: string;
  seriesNumber?: number;
  /** Seeds the noise, so the same options give the same pixels. */
  seed?: number;
};

/**
 * A CT series of an anatomy-like phantom as DICOM Part-10 files (explicit VR little endian, 512², 16-bit
 * signed, HU = stored − 1024): air, a body outline, lungs, heart, liver, spine and aorta that change
 * along the table, a few lesions to label, and a little noise. Headers like a scanner's: UIDs, geometry
 * (position, orientation, spacing), rescale and a soft-tissue window. For demo data, tests and benchmarks.
 */
export function syntheticCtSeries(options: SyntheticCtOptions): Uint8Array[] {
  const { slices, spacing = 5, seed = 1 } = options;
  const patient = options.patient ?? { name: 'Phantom^Demo', id: 'DEMO-CT-0001', birthDate: '19700101', sex: 'O' as const };
  const study = { uid: options.studyInstanceUid ?? newUid(), date: options.studyDate ?? today(), time: '093000', accession: options.accessionNumber ?? 'DEMO0001' };
  const series = { uid: newUid(), frameOfReference: newUid() };
  const random = prng(seed);
  const files: Uint8Array[] = [];
  for (let i = 0; i < slices; i++) {
    const z = -i * spacing; // head first, from the top of the chest down
    const t = slices > 1 ? i / (slices - 1) : 0.5; // 0 at the apex of the lungs, 1 below the liver
    const sop = newUid();
    const dataset = {
      SpecificCharacterSet: 'ISO_IR 192',
      ImageType: ['ORIGINAL', 'PRIMARY', 'AXIAL'],
      SOPClassUID: CT_IMAGE_STORAGE,
      SOPInstanceUID: sop,
      StudyDate: study.date,
      SeriesDate: study.date,
      StudyTime: study.time,
      AccessionNumber: study.accession,
      Modality: 'CT',
      Manufacturer: 'Cohort',
      ManufacturerModelName: 'Synthetic phantom',
      ReferringPhysicianName: 'Demo^Referrer',
      StudyDescription: options.studyDescription ?? 'CT CHEST ABDOMEN (synthetic phantom)',
      SeriesDescription: options.seriesDescription ?? `Axial ${spacing} mm soft tissue`,
      PatientName: patient.name,
      PatientID: patient.id,
      PatientBirthDate: patient.birthDate,
      PatientSex: patient.sex,
      BodyPartExamined: 'CHEST',
      SliceThickness: spacing,
      KVP: 120,
      StudyInstanceUID: study.uid,
      SeriesInstanceUID: series.uid,
      StudyID: '1',
      SeriesNumber: options.seriesNumber ?? 2,
      InstanceNumber: i + 1,
      ImagePositionPatient: [-250, -250, z],
      ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
      FrameOfReferenceUID: series.frameOfReference,
      PositionReferenceIndicator: '',
      SliceLocation: z,
      SamplesPerPixel: 1,
      PhotometricInterpretation: 'MONOCHROME2',
      Rows: SIZE,
      Columns: SIZE,
      PixelSpacing: [PIXEL_MM, PIXEL_MM],
      BitsAllocated: 16,
      BitsStored: 16,
      HighBit: 15,
      PixelRepresentation: 1,
      WindowCenter: 40,
      WindowWidth: 400,
      RescaleIntercept: -1024,
      RescaleSlope: 1,
      RescaleType: 'HU',
      PixelData: phantomSlice(t, random).pixels.buffer,
      _vrMap: { PixelData: 'OW' },
    };
    files.push(writePart10(dataset, 'COHORT_SYNTH_1'));
  }
  return files;
}

/** What each phantom voxel is, as segmentation models of the body see it: the truth they are scored against. */
export const PHANTOM_CLASSES = { background: 0, body: 1, lung: 2, bone: 3 } as const;

/**
 * The true classes of the series syntheticCtSeries makes with the same `slices` (one 512² slice per
 * instance, in instance order): from the phantom's geometry, not its pixel values. The lung nodule
 * is lung tissue; the contrast-filled aorta is body, not bone.
 */
export function syntheticCtTruth(slices: number): Uint8Array[] {
  return Array.from({ length: slices }, (_, i) => phantomSlice(slices > 1 ? i / (slices - 1) : 0.5, () => 0.5).labels);
}

/** One axial slice at relative table position t (0..1), as stored values (HU + 1024), and its classes. */
function phantomSlice(t: number, random: () => number): { pixels: Int16Array; labels: Uint8Array } {
  const pixels = new Int16Array(SIZE * SIZE);
  const labels = new Uint8Array(SIZE * SIZE);
  const { body, lung, bone } = PHANTOM_CLASSES;
  const lungs = t < 0.6 ? Math.sin((Math.PI * (t + 0.1)) / 0.7) : 0; // grow, then shrink to nothing
  const heart = t > 0.25 && t < 0.55 ? Math.sin((Math.PI * (t - 0.25)) / 0.3) : 0;
  const liver = t > 0.45 ? Math.min(1, (t - 0.45) / 0.2) : 0;
  const lesions = [
    { x: 150, y: 220, r: 14, at: 0.3, hu: -400 }, // lung nodule, part-solid
    { x: 330, y: 300, r: 18, at: 0.75, hu: 10 }, // liver lesion, hypodense
    { x: 175, y: 180, r: 9, at: 0.45, hu: 40 }, // small solid nodule
  ];
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      let hu = -1000;
      let label: number = PHANTOM_CLASSES.background;
      if (inEllipse(x, y, 256, 256, 210, 160)) {
        hu = -80; // subcutaneous fat
        label = body;
        if (inEllipse(x, y, 256, 256, 195, 145)) hu = 40; // muscle and organs
        if (lungs > 0 && (inEllipse(x, y, 175, 235, 70 * lungs, 95 * lungs) || inEllipse(x, y, 337, 235, 70 * lungs, 95 * lungs))) [hu, label] = [-850, lung];
        if (heart > 0 && inEllipse(x, y, 270, 250, 62 * heart, 55 * heart)) [hu, label] = [45, body];
        if (liver > 0 && inEllipse(x, y, 320, 270, 95 * liver, 75 * liver)) [hu, label] = [60, body];
        if (inEllipse(x, y, 256, 330, 22, 22)) [hu, label] = [inEllipse(x, y, 256, 330, 12, 12) ? 300 : 700, bone]; // vertebral body
        if (inEllipse(x, y, 245, 300, 11, 11)) [hu, label] = [200, body]; // aorta, contrast-enhanced
        for (const l of lesions) {
          const r = l.r * Math.max(0, 1 - Math.abs(t - l.at) * 12);
          if (r > 0 && inEllipse(x, y, l.x, l.y, r, r)) hu = l.hu;
        }
        hu += Math.round((random() - 0.5) * 24);
      }
      pixels[y * SIZE + x] = hu + 1024;
      labels[y * SIZE + x] = label;
    }
  }
  return { pixels, labels };
}

function inEllipse(x: number, y: number, cx: number, cy: number, rx: number, ry: number): boolean {
  const dx = (x - cx) / rx;
  const dy = (y - cy) / ry;
  return dx * dx + dy * dy <= 1;
}

function today(): string {
  return new Date().toISOString().slice(0, 10).replaceAll('-', '');
}

function prng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => ((state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}
