/**
 * A patient downloads their own study as a zip of the original DICOM files with a DICOMDIR: the
 * bytes are the stored files, the index is valid PS3.10 media, the length is announced, an
 * interrupted download leaves nothing behind and a retry gets the same bytes; anyone else's study
 * is a 404 that the access log keeps.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import dicomParser from 'dicom-parser';
import yauzl from 'yauzl';
import { beforeAll, describe, expect, it } from 'vitest';
import * as downloadRoute from '@/app/api/me/studies/[studyId]/download/route';
import * as picturesRoute from '@/app/api/me/studies/[studyId]/pictures/route';
import { flushAccessLog } from '@/lib/access-log/record-access';
import { env } from '@/lib/config/env';
import { getDb } from '@/lib/db/client';
import { ingestFiles } from '@/lib/dicom/ingest-files';
import { syntheticCtSeries } from '@/lib/dicom/synthetic-ct';
import { getBlobStore } from '@/lib/storage/get-blob-store';
import { ORIGIN, type Session } from '../helpers/api';
import { sample } from '../helpers/dicom-samples';
import { decodePng } from '../helpers/decode-png';
import { signedInUser } from '../helpers/users';

let patient: { id: string; session: Session };
let stranger: { id: string; session: Session };
let radiologist: Session;
const study = { id: '', uid: '', instances: 0 };
let otherStudyId = '';
let colourStudyId = '';
let segmentationStudyId = '';

/** The blob-store files this process holds open (Linux: /proc/self/fd). */
function openBlobFiles(): string[] {
  return readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      return target.startsWith(env.blobDir) ? [target] : [];
    } catch {
      return [];
    }
  });
}

const download = (session: Session | null, studyId = study.id, signal?: AbortSignal) =>
  downloadRoute.GET(new Request(`${ORIGIN}/api/me/studies/${studyId}/download`, { headers: session ? { cookie: session.cookie } : {}, signal }), { params: Promise.resolve({ studyId }) });

function unzip(bytes: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      const files = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) =>
        zip.openReadStream(entry, (e, stream) => {
          if (e) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            files.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        }),
      );
      zip.on('end', () => resolve(files));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

beforeAll(async () => {
  const admin = await signedInUser(['admin']);
  ({ session: radiologist } = await signedInUser(['radiologist']));
  // The patient's CT study; and a real CR of somebody else.
  const ct = syntheticCtSeries({ slices: 5, patient: { name: 'Lima^Ana^^^', id: 'DL-ANA', birthDate: '19800101', sex: 'F' }, accessionNumber: 'DL-1' });
  await ingestFiles((async function* () { for (const body of ct) yield { body }; })(), { actorUserId: admin.id });
  const row = await getDb().study.findFirstOrThrow({ where: { patient: { patientKey: 'DL-ANA' } }, include: { series: true } });
  Object.assign(study, { id: row.id, uid: row.studyInstanceUid, instances: row.instanceCount });
  patient = await signedInUser(['patient']);
  await getDb().patientLink.create({ data: { patientId: row.patientId, userId: patient.id } });
  stranger = await signedInUser(['patient']);
  await ingestFiles((async function* () { yield { body: new Uint8Array(readFileSync(sample('valid/pydicom/dicomdirtests/77654033/CR1/6154'))) }; })(), { actorUserId: admin.id });
  otherStudyId = (await getDb().study.findFirstOrThrow({ where: { NOT: { id: row.id } }, orderBy: { createdAt: 'desc' } })).id;
  // A colour JPEG ultrasound (30 frames), and a 1-bit segmentation the server does not draw, given to the same patient account.
  const linkedStudy = async (file: string) => {
    const known = (await getDb().study.findMany({ select: { id: true } })).map((s) => s.id);
    await ingestFiles((async function* () { yield { body: new Uint8Array(readFileSync(sample(file))) }; })(), { actorUserId: admin.id });
    const added = await getDb().study.findFirstOrThrow({ where: { NOT: { id: { in: known } } } });
    await getDb().patientLink.create({ data: { patientId: added.patientId, userId: patient.id } });
    return added.id;
  };
  colourStudyId = await linkedStudy('valid/pydicom/examples_ybr_color.dcm');
  segmentationStudyId = await linkedStudy('valid/pydicom-data/liver.dcm');
});

describe('downloading a study', () => {
  it('gives the original files, byte for byte, with a valid DICOMDIR and the announced length', async () => {
    const res = await download(patient.session);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="study-\d{4}-\d{2}-\d{2}-CT\.zip"$/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.length).toBe(Number(res.headers.get('content-length')));
    const files = await unzip(bytes);
    const images = [...files.keys()].filter((name) => name.startsWith('DICOM/'));
    expect(images).toHaveLength(study.instances);
    expect(images.every((name) => /^DICOM\/P\d+\/ST\d+\/SE\d+\/IM\d+$/.test(name) && name.split('/').every((c) => c.length <= 8))).toBe(true);
    expect(files.get('README.TXT')?.toString()).toContain('DICOMDIR');
    // Every file is a stored original, unchanged.
    const stored = await getDb().instance.findMany({ where: { series: { studyId: study.id } }, select: { sha256: true } });
    const sums = new Set(images.map((name) => createHash('sha256').update(files.get(name)!).digest('hex')));
    expect(sums).toEqual(new Set(stored.map((i) => i.sha256)));
    // The DICOMDIR references each file with its UIDs.
    const index = dicomParser.parseDicom(new Uint8Array(files.get('DICOMDIR')!));
    expect(index.string('x00020002')).toBe('1.2.840.10008.1.3.10');
    const records = index.elements.x00041220!.items!.map((item) => item.dataSet!);
    const imageRecords = records.filter((r) => r.string('x00041430') === 'IMAGE');
    expect(imageRecords.map((r) => r.string('x00041500')!.replaceAll('\\', '/')).sort()).toEqual(images.sort());
    expect(records.find((r) => r.string('x00041430') === 'STUDY')!.string('x0020000d')).toBe(study.uid);
    // An independent validator, where installed.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cohort-dicomdir-'));
    try {
      writeFileSync(path.join(dir, 'DICOMDIR'), files.get('DICOMDIR')!);
      const check = spawnSync('dciodvfy', [path.join(dir, 'DICOMDIR')], { encoding: 'utf8' });
      if (!check.error) expect((check.stderr + check.stdout).split('\n').filter((l) => l.startsWith('Error'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await flushAccessLog();
    expect(await getDb().studyAccess.count({ where: { studyId: study.id, userId: patient.id, how: 'download', outcome: 'allowed' } })).toBe(1);
  });

  it('an interrupted download leaves nothing on the server, and a retry gets the same bytes', async () => {
    const tempBefore = readdirSync(path.join(env.dataDir)).sort();
    const abort = new AbortController();
    const res = await download(patient.session, study.id, abort.signal);
    const reader = res.body!.getReader();
    // Stop partway through the files: one is being sent, the next read ahead.
    for (let received = 0; received < 1024 * 1024; ) received += (await reader.read()).value!.length;
    expect(openBlobFiles().length).toBeGreaterThan(0);
    abort.abort();
    await reader.cancel();
    expect(readdirSync(path.join(env.dataDir)).sort()).toEqual(tempBefore);
    // No stored file stays open: neither the one being sent nor the one read ahead.
    await expect.poll(() => openBlobFiles()).toEqual([]);
    const [first, second] = await Promise.all([download(patient.session), download(patient.session)]);
    const a = createHash('sha256').update(Buffer.from(await first.arrayBuffer())).digest('hex');
    const b = createHash('sha256').update(Buffer.from(await second.arrayBuffer())).digest('hex');
    expect(a).toBe(b);
    expect(await getBlobStore().sweepTemp(0)).toBe(0);
  });

  it("is a 404 for another patient's study, one that does not exist, and logged; other roles are refused", async () => {
    const theirs = await download(stranger.session);
    expect(theirs.status).toBe(404);
    const missing = await download(stranger.session, 'no-such-study');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual(await theirs.json());
    expect((await download(patient.session, otherStudyId)).status).toBe(404);
    expect((await download(radiologist)).status).toBe(403);
    expect((await download(null)).status).toBe(401);
    await flushAccessLog();
    const denied = await getDb().studyAccess.findMany({ where: { how: 'download', outcome: 'denied' } });
    expect(denied.map((d) => [d.userId, d.studyId]).sort()).toEqual(
      [
        [stranger.id, study.id],
        [stranger.id, null],
        [patient.id, otherStudyId],
      ].sort(),
    );
  });
});

const pictures = (session: Session | null, studyId = study.id) =>
  picturesRoute.GET(new Request(`${ORIGIN}/api/me/studies/${studyId}/pictures`, { headers: session ? { cookie: session.cookie } : {} }), { params: Promise.resolve({ studyId }) });

describe('downloading pictures', () => {
  it('gives a PNG per image, a folder per series, drawn with the file’s window, and says what it left out', async () => {
    const res = await pictures(patient.session);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="study-\d{4}-\d{2}-\d{2}-pictures\.zip"$/);
    const files = await unzip(Buffer.from(await res.arrayBuffer()));
    const pngs = [...files.keys()].filter((n) => n.endsWith('.png'));
    expect(pngs).toHaveLength(study.instances);
    expect(pngs.every((n) => /^01 CT [A-Za-z0-9 ._-]+\/\d{4}\.png$/.test(n))).toBe(true);
    const first = decodePng(files.get(pngs[0]!)!);
    expect([first.width, first.height, first.channels]).toEqual([512, 512, 1]);
    expect(new Set(first.pixels).size).toBeGreaterThan(16);
    expect(files.get('README.txt')!.toString()).not.toContain('cannot be turned into a picture');

    const colour = await unzip(Buffer.from(await (await pictures(patient.session, colourStudyId)).arrayBuffer()));
    expect([...colour.keys()].filter((n) => n.endsWith('.png'))).toHaveLength(30); // one per frame
    expect(decodePng(colour.get('01 US/0001.png')!)).toMatchObject({ width: 320, height: 240, channels: 3 });
    const segmentation = await unzip(Buffer.from(await (await pictures(patient.session, segmentationStudyId)).arrayBuffer()));
    expect([...segmentation.keys()]).toEqual(['README.txt']);
    expect(segmentation.get('README.txt')!.toString()).toContain('1 image is stored in a form that cannot be turned into a picture here');
  });

  it("is a 404 for another patient's study, and for other roles a 403", async () => {
    expect((await pictures(stranger.session)).status).toBe(404);
    expect((await pictures(radiologist)).status).toBe(403);
  });
});
