/** The browser's upload endpoint and the study list it fills: real files, real zips, real queries. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as ingestRoute from '@/app/api/ingest/route';
import { getDb } from '@/lib/db/client';
import { findStudies } from '@/lib/dicom/find-studies';
import { ZStudyQuery } from '@/lib/dicom/schemas';
import { callRoute, signInOrThrow, type Session } from '../helpers/api';
import { sample } from '../helpers/dicom-samples';
import { blobTempFiles } from '../helpers/blob-temp';
import { makeUser } from '../helpers/users';

let admin: Session;
beforeAll(async () => {
  const user = await makeUser(['admin']);
  admin = await signInOrThrow(user.email, user.password);
});

const upload = (file: string, contentType: string, name = path.basename(file)) =>
  callRoute(ingestRoute, 'POST', '/api/ingest', {
    session: admin,
    rawBody: new Uint8Array(readFileSync(file)),
    headers: { 'content-type': contentType, 'x-file-name': encodeURIComponent(name) },
  });

describe('POST /api/ingest', () => {
  it('stores one DICOM file and says so; the same file again is already stored', async () => {
    const first = await upload(sample('valid/pydicom/MR_small.dcm'), 'application/octet-stream', 'scans/MR small.dcm');
    expect(first.status).toBe(200);
    expect(first.json.outcomes).toEqual([expect.objectContaining({ name: 'scans/MR small.dcm', status: 'stored' })]);
    const again = await upload(sample('valid/pydicom/MR_small.dcm'), 'application/dicom');
    expect(again.json.outcomes).toEqual([expect.objectContaining({ status: 'duplicate' })]);
  });

  it('refuses a broken file with its reason, and an unknown media type', async () => {
    const res = await upload(sample('invalid/ours/trunc_in_meta.dcm'), 'application/dicom');
    expect(res.status).toBe(200);
    expect(res.json.outcomes).toEqual([expect.objectContaining({ status: 'rejected', reason: expect.stringMatching(/0002,0010/) })]);
    expect((await upload(sample('valid/pydicom/MR_small.dcm'), 'image/png')).status).toBe(415);
  });

  it('unpacks a zip archive member by member, and refuses one that climbs out of itself', async () => {
    const bomb = await upload(sample('invalid/ours/zip_bomb_200MiB.zip'), 'application/zip');
    expect(bomb.json.outcomes).toEqual([expect.objectContaining({ name: 'zeros.dcm', status: 'rejected', reason: expect.stringMatching(/zip bomb/) })]);
    const traversal = await upload(sample('invalid/ours/zip_path_traversal.zip'), 'application/zip');
    expect(traversal.status).toBe(400);
    expect(traversal.json.message).toMatch(/points outside it/);
    expect(await blobTempFiles()).toEqual([]);
  });
});

describe('findStudies (the study list)', () => {
  it('searches, filters, sorts and pages', async () => {
    for (const f of ['valid/pydicom/CT_small.dcm', 'valid/pydicom/chrX1.dcm', 'valid/pydicom/dicomdirtests/77654033/CR1/6154', 'valid/pydicom/ExplVR_BigEnd.dcm']) {
      await upload(sample(f), 'application/dicom');
    }
    const query = (q: Record<string, unknown>) => findStudies(ZStudyQuery.parse(q), {});
    const all = await query({});
    expect(all.total).toBeGreaterThanOrEqual(5);
    expect((await query({ q: 'wang' })).rows.map((r) => r.patientName)).toEqual(['Wang^XiaoDong=王^小東=']);
    expect((await query({ q: '1CT1' })).rows.map((r) => r.patientName)).toEqual(['CompressedSamples^CT1']);
    expect((await query({ modality: 'cr' })).rows).toHaveLength(1);
    const byPatient = (await query({ sort: 'patient', order: 'asc' })).rows.map((r) => r.patientName);
    expect(byPatient).toEqual([...byPatient].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' })));
    const paged = await query({ pageSize: 2, page: 2 });
    expect(paged.rows).toHaveLength(2);
    expect(paged.total).toBe(all.total);
    const dated = all.rows.map((r) => r.studyDate).filter((d) => /^\d{8}$/.test(d)).sort();
    const from = `${dated[0]!.slice(0, 4)}-${dated[0]!.slice(4, 6)}-${dated[0]!.slice(6)}`;
    expect((await query({ from, to: from })).rows.every((r) => r.studyDate === dated[0])).toBe(true);
    expect(await getDb().study.count()).toBe(all.total);
  });
});
