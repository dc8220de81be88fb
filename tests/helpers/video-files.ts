import { execFileSync } from 'node:child_process';
import { metaEnd } from '../../lib/dicom/deidentify/dcmjs-dataset';
import { newUid } from '../../lib/dicom/uid';
import { writePart10 } from '../../lib/dicom/write-part10';
import { encapsulatedPixelData, metaFor } from './reencoded-files';

/**
 * Video DICOM files made here: frames of known colours encoded by ffmpeg (libx264, libx265,
 * mpeg2video: encoders independent of the decoder Cohort runs) and encapsulated as PS3.5 §8.2.5–8.2.8
 * say: an empty Basic Offset Table, the one stream split into fragments.
 */

export const VIDEO_CODECS = {
  h264: { transferSyntaxUid: '1.2.840.10008.1.2.4.102', format: 'h264', encoder: ['-c:v', 'libx264', '-profile:v', 'high', '-crf', '8', '-g', '4'] },
  hevc: { transferSyntaxUid: '1.2.840.10008.1.2.4.107', format: 'hevc', encoder: ['-c:v', 'libx265', '-x265-params', 'log-level=error:keyint=4', '-crf', '8'] },
  mpeg2: { transferSyntaxUid: '1.2.840.10008.1.2.4.100', format: 'mpeg2video', encoder: ['-c:v', 'mpeg2video', '-q:v', '2', '-g', '4'] },
} as const;

export type VideoCodec = keyof typeof VIDEO_CODECS;
export type Rgb = readonly [number, number, number];

/** Eight colours a viewer and a test tell apart at a glance, one a frame. */
export const FRAME_COLOURS: Rgb[] = [
  [200, 40, 40],
  [40, 200, 40],
  [40, 40, 200],
  [220, 220, 60],
  [60, 200, 200],
  [200, 60, 200],
  [128, 128, 128],
  [240, 240, 240],
];

/** The elementary stream ffmpeg encodes from frames of solid colours. */
export function encodeVideo(codec: VideoCodec, colours: readonly Rgb[], width: number, height: number): Buffer {
  const raw = Buffer.alloc(colours.length * width * height * 3);
  colours.forEach((rgb, f) => {
    for (let p = 0; p < width * height; p++) raw.set(rgb, (f * width * height + p) * 3);
  });
  const { format, encoder } = VIDEO_CODECS[codec];
  return execFileSync(
    'ffmpeg',
    ['-nostdin', '-hide_banner', '-loglevel', 'error', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, '-r', '25', '-i', 'pipe:0', ...encoder, '-pix_fmt', 'yuv420p', '-f', format, 'pipe:1'],
    { input: raw, maxBuffer: 64 * 1024 ** 2 },
  );
}

export type VideoFileOptions = {
  codec: VideoCodec;
  colours?: readonly Rgb[];
  width?: number;
  height?: number;
  studyDescription: string;
  patient?: { name: string; id: string };
  /** The stream as stored, instead of what ffmpeg encodes (e.g. a corrupt one). */
  stream?: Uint8Array;
  /** Frames the header claims (default: as many as colours). */
  frames?: number;
};

/** One Video Endoscopic Image instance holding a video of solid colours, in one new study. */
export function videoFile({ codec, colours = FRAME_COLOURS, width = 64, height = 48, studyDescription, patient = { name: 'Video^Test', id: 'VIDEO-0001' }, stream, frames }: VideoFileOptions): Uint8Array {
  const ds = {
    SpecificCharacterSet: 'ISO_IR 192',
    ImageType: ['ORIGINAL', 'PRIMARY'],
    SOPClassUID: '1.2.840.10008.5.1.4.1.1.77.1.1.1',
    SOPInstanceUID: newUid(),
    StudyDate: '20260115',
    StudyTime: '101500',
    AccessionNumber: 'VID0001',
    Modality: 'ES',
    Manufacturer: 'Cohort',
    StudyDescription: studyDescription,
    SeriesDescription: `Endoscopy video (${codec})`,
    PatientName: patient.name,
    PatientID: patient.id,
    PatientBirthDate: '19800101',
    PatientSex: 'O',
    StudyInstanceUID: newUid(),
    SeriesInstanceUID: newUid(),
    StudyID: '1',
    SeriesNumber: 1,
    InstanceNumber: 1,
    SamplesPerPixel: 3,
    PhotometricInterpretation: 'YBR_PARTIAL_420',
    PlanarConfiguration: 0,
    NumberOfFrames: frames ?? colours.length,
    FrameTime: 40,
    CineRate: 25,
    Rows: height,
    Columns: width,
    BitsAllocated: 8,
    BitsStored: 8,
    HighBit: 7,
    PixelRepresentation: 0,
    LossyImageCompression: '01',
  };
  const plain = writePart10(ds);
  const bytes = stream ?? encodeVideo(codec, colours, width, height);
  // An empty offset table, the stream in fragments of 1 KiB: the decoder must be given the stream whole again.
  const fragments: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += 1024) fragments.push(bytes.subarray(at, at + 1024));
  return Buffer.concat([metaFor(ds, VIDEO_CODECS[codec].transferSyntaxUid), plain.subarray(metaEnd(plain)), encapsulatedPixelData(new Uint8Array(0), fragments)]);
}
