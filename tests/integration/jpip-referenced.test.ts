/**
 * JPIP-referenced images (PS3.5 §A.6) drawn from their JPIP server: dcm_qa_ts's MR image, its file
 * holding only the server's address, comes out of WADO-RS as the very pixels of the original (a
 * lossless JPEG 2000 of 9 tiles, each in tile-parts by resolution, sent as a JPT-stream cut into
 * 700-byte messages, tiles out of order). The test server's streams are first checked against
 * OpenJPEG's own JPT-stream reader (opj_jpip_transcode). A server not listed in COHORT_JPIP_ORIGINS
 * is never asked; a server that fails says how.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as framesRoute from '@/app/dicomweb/studies/[study]/series/[series]/instances/[instance]/frames/[frames]/route';
import * as renderedRoute from '@/app/dicomweb/studies/[study]/series/[series]/instances/[instance]/rendered/route';
import { env } from '@/lib/config/env';
import { decodeFrame } from '@/lib/dicom/codecs/decode-frame';
import { bufferSource } from '@/lib/dicom/byte-source';
import { ingestFiles } from '@/lib/dicom/ingest-files';
import { codestreamFromJpt, parseJpipMessages } from '@/lib/dicom/jpip/jpt-stream';
import { readDicomHeader } from '@/lib/dicom/read-header';
import { newUid } from '@/lib/dicom/uid';
import { ORIGIN, signInOrThrow, type Session } from '../helpers/api';
import { decodePng } from '../helpers/decode-png';
import { sample } from '../helpers/dicom-samples';
import { jptStream, startJpipServer, type JpipServer } from '../helpers/jpip-server';
import { responseParts } from '../helpers/multipart';
import { makeReaderOfAllStudies } from '../helpers/projects';
import { jpipReferencedFile, naturalizedFile } from '../helpers/reencoded-files';
import { makeUser } from '../helpers/users';

const hasOpj = !spawnSync('opj_compress', ['-h']).error;
const hasTranscode = !spawnSync('opj_jpip_transcode').error;
const OPJ = hasOpj ? '' : ' (skipped: Debian package libopenjp2-tools is not installed)';
const TRANSCODE = hasTranscode ? '' : ' (skipped: Debian package libopenjpip-dec-server is not installed)';

const MR = readFileSync(sample('valid/dcm_qa_ts/1.dcm'));
const MR_DS = naturalizedFile(MR);
const MR_PIXELS = Buffer.from(MR_DS.PixelData[0] as ArrayBuffer);
const SIZE = { columns: MR_DS.Columns as number, rows: MR_DS.Rows as number };
const HEADER = { ...SIZE, transferSyntaxUid: '1.2.840.10008.1.2.4.90', samplesPerPixel: 1, bitsAllocated: 16, photometricInterpretation: 'MONOCHROME2', planarConfiguration: 0 };
const LITTLE_ENDIAN = { accept: 'multipart/related; type="application/octet-stream"; transfer-syntax=1.2.840.10008.1.2.1' };

const work = mkdtempSync(path.join(os.tmpdir(), 'cohort-jpip-'));
let codestream: Uint8Array;
let server: JpipServer;
let reader: Session;
const instances: Record<'drawn' | 'notAllowed' | 'missing' | 'down' | 'jpp', { study: string; series: string; instance: string }> = {} as never;
const allowedBefore = env.COHORT_JPIP_ORIGINS;

/** The MR pixels as a lossless JPEG 2000 codestream of 128² tiles, each in tile-parts by resolution (OpenJPEG's encoder). */
function tiledCodestream(): Uint8Array {
  const pgm = path.join(work, 'mr.pgm');
  const samples = Buffer.alloc(MR_PIXELS.length);
  for (let i = 0; i < MR_PIXELS.length; i += 2) samples.writeUInt16BE(MR_PIXELS.readUInt16LE(i), i);
  writeFileSync(pgm, Buffer.concat([Buffer.from(`P5\n${SIZE.columns} ${SIZE.rows}\n4095\n`), samples]));
  execFileSync('opj_compress', ['-i', pgm, '-o', path.join(work, 'mr.j2k'), '-t', '128,128', '-TP', 'R'], { stdio: 'ignore' });
  return readFileSync(path.join(work, 'mr.j2k'));
}

beforeAll(async () => {
  if (!hasOpj) return;
  codestream = tiledCodestream();
  server = await startJpipServer({ 'mr.j2k': { codestream, ...SIZE } }, { messageBytes: 700 });
  const jpp = await startJpipServer({ 'mr.j2k': { codestream, ...SIZE } }, { contentType: 'image/jpp-stream' });
  const down = await startJpipServer({});
  await down.close();
  (env as { COHORT_JPIP_ORIGINS: string }).COHORT_JPIP_ORIGINS = ` ${server.origin}, ${down.origin},${jpp.origin}`;
  const urls = {
    drawn: `${server.origin}/jpip?target=mr.j2k`,
    notAllowed: 'https://jpip.elsewhere.example/jpip?target=mr.j2k',
    missing: `${server.origin}/jpip?target=gone.j2k`,
    down: `${down.origin}/jpip?target=mr.j2k`,
    jpp: `${jpp.origin}/jpip?target=mr.j2k`,
  };
  const files = Object.fromEntries(
    Object.entries(urls).map(([name, url]) => [
      name,
      jpipReferencedFile(MR, url, (ds) => {
        ds.StudyInstanceUID = newUid();
        ds.SeriesInstanceUID = newUid();
        ds.SOPInstanceUID = newUid();
      }),
    ]),
  );
  const admin = await makeUser(['admin']);
  const outcomes = await ingestFiles((async function* () { for (const body of Object.values(files)) yield { body }; })(), { actorUserId: admin.id });
  expect(outcomes.map((o) => o.status)).toEqual(outcomes.map(() => 'stored'));
  for (const [name, file] of Object.entries(files)) {
    const h = await readDicomHeader(bufferSource(file));
    instances[name as keyof typeof instances] = { study: h.studyInstanceUid, series: h.seriesInstanceUid, instance: h.sopInstanceUid };
  }
  const radiologist = await makeReaderOfAllStudies(admin.id);
  reader = await signInOrThrow(radiologist.email, radiologist.password);
});

afterAll(async () => {
  (env as { COHORT_JPIP_ORIGINS: string }).COHORT_JPIP_ORIGINS = allowedBefore;
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

function get(route: Record<string, unknown>, params: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return (route.GET as (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>)(new Request(`${ORIGIN}/dicomweb/x`, { headers: { cookie: reader.cookie, ...headers } }), {
    params: Promise.resolve(params),
  });
}
const frame = (which: keyof typeof instances, headers: Record<string, string> = {}) => get(framesRoute, { ...instances[which], frames: '1' }, headers);

describe.skipIf(!hasOpj)(`JPIP-referenced images${OPJ}`, () => {
  it(`streams tiles the way OpenJPEG's own JPIP reader puts back together${TRANSCODE}`, { skip: !hasTranscode }, async () => {
    const stream = path.join(work, 'mr.jpt');
    writeFileSync(stream, jptStream(codestream, 700));
    execFileSync('opj_jpip_transcode', [stream, path.join(work, 'from-opj.j2k')], { stdio: 'ignore' });
    const theirs = await decodeFrame(readFileSync(path.join(work, 'from-opj.j2k')), HEADER);
    const ours = await decodeFrame(codestreamFromJpt(parseJpipMessages(jptStream(codestream, 700))), HEADER);
    expect(theirs.samples.equals(MR_PIXELS)).toBe(true);
    expect(ours.samples.equals(MR_PIXELS)).toBe(true);
  });

  it('gives the pixels of the original image, asked for whole at full size as a JPT-stream', async () => {
    for (const headers of [{}, LITTLE_ENDIAN]) {
      const res = await frame('drawn', headers);
      expect(res.status, await res.clone().text()).toBe(200);
      expect(res.headers.get('content-type')).toContain('transfer-syntax=1.2.840.10008.1.2.1;');
      const [part] = await responseParts(res);
      expect(part!.bytes.equals(MR_PIXELS)).toBe(true);
    }
    expect(server.requests.at(-1)!.searchParams.get('fsiz')).toBe(`${SIZE.columns},${SIZE.rows}`);
    expect(server.requests.at(-1)!.searchParams.get('type')).toBe('jpt-stream');
    const png = await get(renderedRoute, instances.drawn);
    expect(png.status).toBe(200);
    expect(decodePng(Buffer.from(await png.arrayBuffer())).width).toBe(SIZE.columns);
    // Asked for as stored: there is no stored form of pixels kept elsewhere.
    const stored = await frame('drawn', { accept: 'multipart/related; type="application/octet-stream"; transfer-syntax=1.2.840.10008.1.2.4.94' });
    expect(stored.status).toBe(406);
  });

  it('never asks a JPIP server an admin has not listed, and says so', async () => {
    const asked = server.requests.length;
    const res = await frame('notAllowed');
    expect(res.status).toBe(406);
    expect((await res.json()).message).toBe(
      "This image's pixels are not in its file: they are on a JPIP server (https://jpip.elsewhere.example/jpip?target=mr.j2k), which this installation does not fetch from. An admin can allow it in COHORT_JPIP_ORIGINS, or open the image in a JPIP viewer.",
    );
    expect(server.requests.length).toBe(asked);
  });

  it('says how a JPIP server failed: no such image, not answering, not a JPT-stream (502)', async () => {
    const cases: [keyof typeof instances, RegExp][] = [
      ['missing', /^The JPIP server \(http:\/\/127\.0\.0\.1:\d+\) answered 404 Not Found\.$/],
      ['down', /^The JPIP server \(http:\/\/127\.0\.0\.1:\d+\) did not answer: unreachable\.$/],
      ['jpp', /answered image\/jpp-stream, not a JPT-stream \(image\/jpt-stream\)\.$/],
    ];
    for (const [which, message] of cases) {
      const res = await frame(which);
      expect(res.status, which).toBe(502);
      expect((await res.json()).message).toMatch(message);
    }
  });
});
