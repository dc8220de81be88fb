/**
 * STOW-RS over real DICOM files: the standard response, partial failures, the study in the URL,
 * wrong media types, and a client that disconnects halfway (no partial batch, nothing left behind).
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db/client';
import { bufferSource } from '@/lib/dicom/byte-source';
import { readDicomHeader } from '@/lib/dicom/read-header';
import * as studiesRoute from '@/app/dicomweb/studies/route';
import * as studyRoute from '@/app/dicomweb/studies/[study]/route';
import { callRoute, signInOrThrow, type Session } from '../helpers/api';
import { sample, samplesUnder } from '../helpers/dicom-samples';
import { stowBody } from '../helpers/multipart';
import { blobTempFiles } from '../helpers/blob-temp';
import { makeUser } from '../helpers/users';

let admin: Session;
beforeAll(async () => {
  const user = await makeUser(['admin']);
  admin = await signInOrThrow(user.email, user.password);
});

const bytes = (relative: string) => new Uint8Array(readFileSync(sample(relative)));
const stow = (files: Uint8Array[], { study, contentType }: { study?: string; contentType?: string } = {}) => {
  const { body, contentType: type } = stowBody(files);
  return study
    ? callRoute(studyRoute, 'POST', `/dicomweb/studies/${study}`, { session: admin, params: { study }, rawBody: body, headers: { 'content-type': contentType ?? type } })
    : callRoute(studiesRoute, 'POST', '/dicomweb/studies', { session: admin, rawBody: body, headers: { 'content-type': contentType ?? type } });
};
const seqItems = (json: Record<string, unknown>, tag: string) => ((json[tag] as { Value?: Record<string, { Value: unknown[] }>[] } | undefined)?.Value ?? []);

describe('STOW-RS POST /dicomweb/studies', () => {
  it('stores a series and answers with ReferencedSOPSequence and retrieve URLs (200)', async () => {
    const files = samplesUnder('valid/pydicom/dicomdirtests/77654033/CT2').map((f) => new Uint8Array(readFileSync(f)));
    const res = await stow(files);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/dicom+json');
    const referenced = seqItems(res.json, '00081199');
    expect(referenced).toHaveLength(4);
    const item = referenced[0]!;
    expect(item['00081190']!.Value[0]).toMatch(/\/dicomweb\/studies\/[\d.]+\/series\/[\d.]+\/instances\/[\d.]+$/);
    expect(res.json['00081198']).toBeUndefined();
    const sop = item['00081155']!.Value[0] as string;
    expect(await getDb().instance.count({ where: { sopInstanceUid: sop } })).toBe(1);
    // Sent again: the same answer, nothing new (storing is idempotent).
    const again = await stow(files);
    expect(again.status).toBe(200);
    expect(seqItems(again.json, '00081199')).toHaveLength(4);
  });

  it('stores the good files of a mixed request and names each failure with its reason (202)', async () => {
    const before = await getDb().instance.count();
    const res = await stow([bytes('valid/pydicom/MR_small.dcm'), bytes('invalid/ours/trunc_in_pixeldata.dcm'), bytes('invalid/ours/jpeg_renamed.dcm'), bytes('invalid/ours/uid_series_missing.dcm')]);
    expect(res.status).toBe(202);
    expect(seqItems(res.json, '00081199')).toHaveLength(1);
    const failed = seqItems(res.json, '00081198');
    expect(failed.map((f) => f['00081197']!.Value[0])).toEqual([0xc000, 0xc000, 0xa900]);
    expect(failed.map((f) => f['00091001']!.Value[0])).toEqual([expect.stringMatching(/truncated/), expect.stringMatching(/JPEG image/), expect.stringMatching(/no Series Instance UID/)]);
    expect(failed[2]!['00081155']!.Value[0]).toMatch(/^[\d.]+$/); // read far enough to name the instance
    expect(await getDb().instance.count()).toBe(before + 1);
    expect(await blobTempFiles()).toEqual([]);
  });

  it('answers 409 when nothing could be stored, and refuses a conflicting object', async () => {
    await stow([bytes('valid/pydicom/CT_small.dcm')]);
    const res = await stow([bytes('invalid/real/highdicom/ct_image.dcm'), bytes('invalid/ours/empty.dcm')]);
    expect(res.status).toBe(409);
    expect(seqItems(res.json, '00081198').map((f) => f['00081197']!.Value[0])).toEqual([0x0111, 0xc000]);
  });

  it('refuses, on /studies/{study}, instances of another study (202)', async () => {
    const { studyInstanceUid } = await readDicomHeader(bufferSource(bytes('valid/pydicom/dicomdirtests/98892003/MR700/4467')));
    const res = await stow([bytes('valid/pydicom/dicomdirtests/98892003/MR700/4467'), bytes('valid/pydicom/SC_rgb_jpeg_dcmtk.dcm')], { study: studyInstanceUid });
    expect(res.status).toBe(202);
    expect(res.json['00081190']).toEqual({ vr: 'UR', Value: [expect.stringMatching(new RegExp(`/dicomweb/studies/${studyInstanceUid}$`))] });
    const [failed] = seqItems(res.json, '00081198');
    expect(failed!['00081197']!.Value[0]).toBe(0xa900);
    expect(failed!['00091001']!.Value[0]).toMatch(/belongs to study/);
  });

  it('refuses other media types (415) and malformed bodies (400), storing nothing', async () => {
    const before = await getDb().instance.count();
    expect((await stow([bytes('valid/pydicom/rtplan.dcm')], { contentType: 'application/dicom' })).status).toBe(415);
    expect((await stow([bytes('valid/pydicom/rtplan.dcm')], { contentType: 'multipart/related; type="application/dicom+json"; boundary=x' })).status).toBe(415);
    const { body, contentType } = stowBody([bytes('valid/pydicom/rtplan.dcm')]);
    const cut = await callRoute(studiesRoute, 'POST', '/dicomweb/studies', { session: admin, rawBody: body.subarray(0, body.length - 500), headers: { 'content-type': contentType } });
    expect(cut.status).toBe(400);
    expect(cut.json.message).toMatch(/cut off/);
    expect(await getDb().instance.count()).toBe(before);
    expect(await blobTempFiles()).toEqual([]);
  });

  it('drops every file not yet stored when the client disconnects midway (here, all of them: less than a batch)', async () => {
    const before = await getDb().instance.count();
    const ledger = await getDb().ledgerEntry.count();
    const { body, contentType } = stowBody([bytes('valid/pydicom/waveform_ecg.dcm'), bytes('valid/pydicom/rtdose.dcm'), bytes('valid/pydicom/reportsi.dcm')]);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > body.length * 0.7) return controller.error(new Error('client went away'));
        controller.enqueue(body.subarray(sent, sent + 4096));
        sent += 4096;
      },
    });
    const res = await callRoute(studiesRoute, 'POST', '/dicomweb/studies', { session: admin, rawBody: stream, headers: { 'content-type': contentType } }).catch((e: unknown) => e);
    expect((res as { status?: number }).status ?? 500).toBeGreaterThanOrEqual(400);
    expect(await getDb().instance.count()).toBe(before);
    expect(await getDb().ledgerEntry.count()).toBe(ledger);
    expect(await blobTempFiles()).toEqual([]);
  });
});
