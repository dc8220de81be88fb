/**
 * The server decodes what it stores (lib/dicom/codecs): compressed colour renders to the colours the
 * file holds (pydicom's published reference values for the same files), palette colour through its
 * lookup tables, HTJ2K and deflated frames decode, and a corrupt codestream is a clear 406.
 */
import { readFileSync } from 'node:fs';
import dcmjs from 'dcmjs';
import dicomParser from 'dicom-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import * as framesRoute from '@/app/dicomweb/studies/[study]/series/[series]/instances/[instance]/frames/[frames]/route';
import * as frameRenderedRoute from '@/app/dicomweb/studies/[study]/series/[series]/instances/[instance]/frames/[frames]/rendered/route';
import * as renderedRoute from '@/app/dicomweb/studies/[study]/series/[series]/instances/[instance]/rendered/route';
import * as seriesThumbnailRoute from '@/app/dicomweb/studies/[study]/series/[series]/thumbnail/route';
import { bufferSource } from '@/lib/dicom/byte-source';
import { decodeFrame } from '@/lib/dicom/codecs/decode-frame';
import { ingestFiles } from '@/lib/dicom/ingest-files';
import { readDicomHeader } from '@/lib/dicom/read-header';
import { newUid } from '@/lib/dicom/uid';
import { ORIGIN, signInOrThrow, type Session } from '../helpers/api';
import { brokenCodestreamFile } from '../helpers/broken-codestream';
import { decodePng } from '../helpers/decode-png';
import { sample } from '../helpers/dicom-samples';
import { responseParts } from '../helpers/multipart';
import { makeReaderOfAllStudies } from '../helpers/projects';
import { encapsulatedFile, encodeLossless, naturalizedFile } from '../helpers/reencoded-files';
import { makeUser } from '../helpers/users';

const LITTLE_ENDIAN = { accept: 'multipart/related; type="application/octet-stream"; transfer-syntax=1.2.840.10008.1.2.1' };

/** pydicom's SC_rgb test image: ten bands of ten rows, sampled at column 50 (pydicom's own tests). */
const SC_RGB_BANDS: [number, number, number][] = [
  [255, 0, 0],
  [255, 128, 128],
  [0, 255, 0],
  [128, 255, 128],
  [0, 0, 255],
  [128, 128, 255],
  [0, 0, 0],
  [64, 64, 64],
  [192, 192, 192],
  [255, 255, 255],
];

/** pydicom-data's HTJ2K samples lack the UIDs ingest requires: the same bytes, with them added. */
function withUids(file: string): Uint8Array {
  const bytes = readFileSync(file);
  const message = dcmjs.data.DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  message.dict['0020000D'] = { vr: 'UI', Value: [newUid()] };
  message.dict['0020000E'] = { vr: 'UI', Value: [newUid()] };
  message.dict['00100020'] = { vr: 'LO', Value: ['HTJ2K-TEST'] };
  return new Uint8Array(message.write());
}

const FILES = [
  'valid/pydicom/SC_rgb_jpeg_dcmtk.dcm',
  'valid/pydicom/SC_rgb_gdcm_KY.dcm',
  'valid/pydicom/SC_rgb_rle_16bit_2frame.dcm',
  'valid/pydicom/SC_ybr_full_422_uncompressed.dcm',
  'valid/pydicom/examples_ybr_color.dcm',
  'valid/highdicom/sm_image.dcm',
  'valid/highdicom/sm_image_jpegls.dcm',
  'valid/pydicom-data/OBXXXX1A_rle_2frame.dcm',
  'valid/pydicom-data/gdcm-US-ALOKA-16.dcm',
  'valid/pydicom-data/liver.dcm',
  'valid/pydicom-data/liver_deflate.dcm',
].map(sample);
const HTJ2K = [withUids(sample('invalid/real/pydicom-data/HTJ2KLossless_08_RGB.dcm')), withUids(sample('invalid/real/pydicom-data/HTJ2K_08_RGB.dcm'))];
const BROKEN = brokenCodestreamFile('A corrupt JPEG lossless frame');
/** dcm_qa_ts's MR image and its pixels, and the same image as JPEG 2000 Part 2 lossless (a Part 1 codestream, which Part 2 admits), in a study of its own. */
const MR = readFileSync(sample('valid/dcm_qa_ts/1.dcm'));
const MR_PIXELS = Buffer.from(naturalizedFile(MR).PixelData[0] as ArrayBuffer);
let PART2: Uint8Array;

let reader: Session;
beforeAll(async () => {
  const mr = naturalizedFile(MR);
  const codestream = await encodeLossless(MR_PIXELS, { width: mr.Columns as number, height: mr.Rows as number, bitsPerSample: 16 }, 'jpeg-2000');
  PART2 = encapsulatedFile(MR, '1.2.840.10008.1.2.4.92', [codestream], (ds) => {
    ds.StudyInstanceUID = newUid();
    ds.SeriesInstanceUID = newUid();
    ds.SOPInstanceUID = newUid();
  });
  const admin = await makeUser(['admin']);
  const outcomes = await ingestFiles(
    (async function* () {
      for (const file of FILES) yield { name: file, body: readFileSync(file) };
      for (const bytes of [...HTJ2K, BROKEN, PART2]) yield { body: bytes };
    })(),
    { actorUserId: admin.id },
  );
  expect(outcomes.map((o) => o.status)).toEqual(outcomes.map(() => 'stored'));
  const radiologist = await makeReaderOfAllStudies(admin.id);
  reader = await signInOrThrow(radiologist.email, radiologist.password);
});

type Ids = { study: string; series: string; instance: string };
async function ids(file: string | Uint8Array): Promise<Ids> {
  const h = await readDicomHeader(bufferSource(typeof file === 'string' ? readFileSync(file) : file));
  return { study: h.studyInstanceUid, series: h.seriesInstanceUid, instance: h.sopInstanceUid };
}
function get(route: Record<string, unknown>, params: Record<string, string>, query = '', headers: Record<string, string> = {}): Promise<Response> {
  return (route.GET as (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>)(
    new Request(`${ORIGIN}/dicomweb/x${query}`, { headers: { cookie: reader.cookie, ...headers } }),
    { params: Promise.resolve(params) },
  );
}
async function rendered(file: string | Uint8Array, frame?: number) {
  const res = frame ? await get(frameRenderedRoute, { ...(await ids(file)), frames: String(frame) }) : await get(renderedRoute, await ids(file));
  expect(res.status, await res.clone().text().catch(() => '')).toBe(200);
  expect(res.headers.get('content-type')).toBe('image/png');
  return decodePng(Buffer.from(await res.arrayBuffer()));
}
const frames = responseParts;
const rgbAt = (png: ReturnType<typeof decodePng>, x: number, y: number) => [...png.pixels.subarray(3 * (y * png.width + x), 3 * (y * png.width + x) + 3)];
const near = (actual: number[], expected: number[], tolerance: number) => actual.every((v, i) => Math.abs(v - expected[i]!) <= tolerance);

describe('server-side decoding', () => {
  it('renders compressed colour to the colours the file holds: JPEG (YCbCr), JPEG 2000, 16-bit RLE', async () => {
    for (const [name, tolerance] of [
      ['valid/pydicom/SC_rgb_jpeg_dcmtk.dcm', 6], // lossy JPEG, stored as YCbCr
      ['valid/pydicom/SC_rgb_gdcm_KY.dcm', 6], // lossy JPEG 2000
      ['valid/pydicom/SC_rgb_rle_16bit_2frame.dcm', 0], // lossless: 16-bit samples shown by their high byte
    ] as const) {
      const png = await rendered(sample(name));
      expect([png.width, png.height, png.channels], name).toEqual([100, 100, 3]);
      for (const [band, colour] of SC_RGB_BANDS.entries()) {
        const actual = rgbAt(png, 50, band * 10 + 5);
        expect(near(actual, colour, tolerance), `${name} band ${band}: ${actual} vs ${colour}`).toBe(true);
      }
    }
    // The RLE file's second frame is the first inverted.
    const second = await rendered(sample('valid/pydicom/SC_rgb_rle_16bit_2frame.dcm'), 2);
    expect(rgbAt(second, 50, 5)).toEqual([0, 255, 255]);
  });

  it('renders subsampled YBR_FULL_422 and JPEG-LS colour, and series thumbnails of compressed colour', async () => {
    // The uncompressed YBR_FULL_422 sample is SC_rgb's bands again, within the rounding of its 8-bit YCbCr.
    const ybr = await rendered(sample('valid/pydicom/SC_ybr_full_422_uncompressed.dcm'));
    for (const [band, colour] of SC_RGB_BANDS.entries()) expect(near(rgbAt(ybr, 50, band * 10 + 5), colour, 5), `band ${band}`).toBe(true);
    // The same microscopy tile uncompressed and as JPEG-LS (lossless): identical renders.
    const tile = (file: string) => rendered(file, 7);
    const [plain, jpegLs] = await Promise.all([tile(sample('valid/highdicom/sm_image.dcm')), tile(sample('valid/highdicom/sm_image_jpegls.dcm'))]);
    expect(Buffer.from(jpegLs.pixels).equals(Buffer.from(plain.pixels))).toBe(true);
    const ultrasound = await ids(sample('valid/pydicom/examples_ybr_color.dcm'));
    const thumb = await get(seriesThumbnailRoute, { study: ultrasound.study, series: ultrasound.series });
    expect(thumb.status).toBe(200);
    const png = decodePng(Buffer.from(await thumb.arrayBuffer()));
    expect([png.width, png.channels]).toEqual([128, 3]);
    expect(new Set(png.pixels).size).toBeGreaterThan(32); // a picture, not a blank
  });

  it('gives colour frames as explicit little endian only where decoding keeps the header\'s colour space', async () => {
    // JPEG turns YCbCr into RGB, which is not what the header says: as stored, or 406 with the reason.
    const jpeg = await get(framesRoute, { ...(await ids(sample('valid/pydicom/SC_rgb_jpeg_dcmtk.dcm'))), frames: '1' }, '', LITTLE_ENDIAN);
    expect(jpeg.status).toBe(406);
    expect((await jpeg.json()).message).toMatch(/decode to RGB, not what the header says/);
    // RLE keeps RGB: two 16-bit RGB frames, planes as the header says.
    const rle = await frames(await get(framesRoute, { ...(await ids(sample('valid/pydicom/SC_rgb_rle_16bit_2frame.dcm'))), frames: '1,2' }, '', LITTLE_ENDIAN));
    expect(rle.map((f) => [f.type, f.bytes.length])).toEqual([
      ['application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1', 100 * 100 * 3 * 2],
      ['application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1', 100 * 100 * 3 * 2],
    ]);
    expect([...rle[0]!.bytes.subarray(0, 6)]).toEqual([0xff, 0xff, 0, 0, 0, 0]); // red, little endian
  });

  it('renders palette colour through plain and segmented lookup tables (pydicom\'s reference values)', async () => {
    // RLE-compressed 8-bit indices, 16-bit plain LUTs: pydicom's values for OBXXXX1A_2frame, high bytes.
    const ob = await rendered(sample('valid/pydicom-data/OBXXXX1A_rle_2frame.dcm'));
    expect([ob.width, ob.height, ob.channels]).toEqual([800, 600, 3]);
    expect(rgbAt(ob, 0, 0)).toEqual([37, 62, 94]);
    expect(rgbAt(ob, 12, 12)).toEqual([136, 170, 211]);
    expect(rgbAt(ob, 110, 17)).toEqual([255, 255, 255]);
    expect(rgbAt(ob, 103, 77)).toEqual([0, 0, 0]);
    expect(rgbAt(ob, 793, 478)).toEqual([90, 205, 255]);
    // 16-bit indices, segmented 16-bit LUTs (discrete and linear segments).
    const aloka = await rendered(sample('valid/pydicom-data/gdcm-US-ALOKA-16.dcm'));
    expect(rgbAt(aloka, 0, 0)).toEqual([40, 45, 65]);
    expect(rgbAt(aloka, 639, 479)).toEqual([40, 45, 65]);
    expect(rgbAt(aloka, 0, 240)).toEqual([0, 0, 0]);
    expect(rgbAt(aloka, 320, 240)).toEqual([1, 1, 1]);
    expect(rgbAt(aloka, 639, 240)).toEqual([9, 9, 9]);
  });

  it('decodes HTJ2K: lossless and lossy renders of one picture agree, lossless frames come as explicit little endian', async () => {
    const [lossless, lossy] = await Promise.all(HTJ2K.map((file) => rendered(file)));
    expect([lossless!.width, lossless!.height, lossless!.channels]).toEqual([640, 480, 3]);
    let difference = 0;
    for (let i = 0; i < lossless!.pixels.length; i++) difference += Math.abs(lossless!.pixels[i]! - lossy!.pixels[i]!);
    expect(difference / lossless!.pixels.length).toBeLessThan(2);
    expect(new Set(lossless!.pixels).size).toBeGreaterThan(64);
    const [frame] = await frames(await get(framesRoute, { ...(await ids(HTJ2K[0]!)), frames: '1' }, '', LITTLE_ENDIAN));
    expect(frame!.type).toBe('application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1');
    expect(Buffer.from(lossless!.pixels).equals(frame!.bytes)).toBe(true); // 8-bit interleaved RGB is its own render
  });

  it('decodes JPEG 2000 Part 2 (which browsers cannot): its frame comes as explicit little endian, the pixels of the native original', async () => {
    const [stored] = await frames(await get(framesRoute, { ...(await ids(PART2)), frames: '1' }));
    expect(stored!.type).toBe('application/octet-stream; transfer-syntax=1.2.840.10008.1.2.4.92');
    const [frame] = await frames(await get(framesRoute, { ...(await ids(PART2)), frames: '1' }, '', LITTLE_ENDIAN));
    expect(frame!.type).toBe('application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1');
    expect(frame!.bytes.equals(MR_PIXELS)).toBe(true);
  });

  it('inflates Deflated Image Frame Compression: the segmentation\'s bit-packed frames equal its uncompressed twin\'s', async () => {
    const [plain, deflated] = await Promise.all(['valid/pydicom-data/liver.dcm', 'valid/pydicom-data/liver_deflate.dcm'].map((f) => ids(sample(f))));
    const asked = (target: Ids) => get(framesRoute, { ...target, frames: '1,2,3' }, '', LITTLE_ENDIAN).then(frames);
    const [a, b] = await Promise.all([asked(plain!), asked(deflated!)]);
    expect(b.map((f) => f.bytes.length)).toEqual([512 * 64, 512 * 64, 512 * 64]);
    expect(b.map((f) => f.bytes.toString('hex'))).toEqual(a.map((f) => f.bytes.toString('hex')));
    expect(a.some((f) => f.bytes.some((byte) => byte !== 0))).toBe(true);
    // Stored, they are the deflated fragments.
    const [stored] = await frames(await get(framesRoute, { ...deflated!, frames: '1' }));
    expect(stored!.type).toBe('application/octet-stream; transfer-syntax=1.2.840.10008.1.2.8.1');
    const dataSet = dicomParser.parseDicom(readFileSync(sample('valid/pydicom-data/liver_deflate.dcm')));
    expect(stored!.bytes.equals(Buffer.from(dicomParser.readEncapsulatedImageFrame(dataSet, dataSet.elements.x7fe00010!, 0)))).toBe(true);
  });

  it('renders JPEG when the client asks for it (Accept, with quality values), at the quality asked; PNG otherwise', async () => {
    const target = await ids(sample('valid/pydicom/SC_rgb_jpeg_dcmtk.dcm'));
    const render = (accept?: string, query = '') => get(renderedRoute, target, query, accept ? { accept } : {});
    const jpeg = await render('image/jpeg');
    expect(jpeg.headers.get('content-type')).toBe('image/jpeg');
    expect(jpeg.headers.get('vary')).toMatch(/\bAccept\b/);
    const bytes = Buffer.from(await jpeg.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    // The JPEG decodes (with the same codec as stored frames) to the file's colour bands.
    const decoded = await decodeFrame(bytes, { transferSyntaxUid: '1.2.840.10008.1.2.4.50', rows: 100, columns: 100, samplesPerPixel: 3, bitsAllocated: 8, photometricInterpretation: 'YBR_FULL', planarConfiguration: 0 });
    for (const [band, colour] of SC_RGB_BANDS.entries()) {
      const at = 3 * ((band * 10 + 5) * 100 + 50);
      expect(near([...decoded.samples.subarray(at, at + 3)], colour, 10), `band ${band}`).toBe(true);
    }
    const small = Buffer.from(await (await render('image/jpeg', '?quality=10')).arrayBuffer());
    expect(small.length).toBeLessThan(bytes.length);
    // Preferences: by quality value; PNG where either will do, or nothing is said.
    expect((await render('image/png;q=0.5, image/jpeg')).headers.get('content-type')).toBe('image/jpeg');
    expect((await render('image/jpeg;q=0.5, image/png')).headers.get('content-type')).toBe('image/png');
    expect((await render('image/*')).headers.get('content-type')).toBe('image/png');
    expect((await render('image/*, image/jpeg')).headers.get('content-type')).toBe('image/jpeg');
    expect((await render()).headers.get('content-type')).toBe('image/png');
    // What cannot be given, or is malformed.
    expect((await render('image/gif')).status).toBe(406);
    expect((await render('image/jpeg;q=0, image/png;q=0')).status).toBe(406);
    for (const quality of ['0', '101', '50.5', 'best']) expect((await render('image/jpeg', `?quality=${quality}`)).status, quality).toBe(400);
    expect((await get(frameRenderedRoute, { ...target, frames: '1,2' })).status).toBe(400); // one frame per image
    expect((await get(frameRenderedRoute, { ...target, frames: '2' })).status).toBe(400); // it has one
  });

  it('answers 406 with the codec\'s reason for a corrupt codestream, and still serves it as stored', async () => {
    const broken = await ids(BROKEN);
    const render = await get(renderedRoute, broken);
    expect(render.status).toBe(406);
    expect((await render.json()).message).toMatch(/^Frame 1 could not be decoded \(JPEG Lossless.*\): /);
    expect((await get(framesRoute, { ...broken, frames: '1' }, '', LITTLE_ENDIAN)).status).toBe(406);
    const [stored] = await frames(await get(framesRoute, { ...broken, frames: '1' }));
    expect(stored!.bytes.every((byte) => byte === 0x5a)).toBe(true);
  });
});
