/**
 * Resumable uploads: a large file sent in chunks, a chunk cut off by a dropped connection keeps what
 * arrived, the upload goes on from the server's offset, and the whole file is ingested once complete;
 * every wrong move (wrong offset, too many bytes, early completion, someone else's upload) refused.
 */
import { readFileSync } from 'node:fs';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as completeRoute from '@/app/api/uploads/[uploadId]/complete/route';
import * as uploadRoute from '@/app/api/uploads/[uploadId]/route';
import * as uploadsRoute from '@/app/api/uploads/route';
import { env } from '@/lib/config/env';
import { getDb } from '@/lib/db/client';
import { sweepUploads } from '@/lib/uploads/upload-session';
import { callRoute, signInOrThrow, type Session } from '../helpers/api';
import { sample } from '../helpers/dicom-samples';
import { largeDicom } from '../helpers/large-dicom';
import { makeUser } from '../helpers/users';

let admin: Session;
beforeAll(async () => {
  const user = await makeUser(['admin']);
  admin = await signInOrThrow(user.email, user.password);
});

const start = async (name: string, size: number, type = 'application/dicom', session = admin) =>
  callRoute(uploadsRoute, 'POST', '/api/uploads', { session, body: { name, size, type } });
const offsetOf = async (id: string, session = admin) => callRoute(uploadRoute, 'GET', `/api/uploads/${id}`, { session, params: { uploadId: id } });
const chunk = (id: string, offset: number, body: Uint8Array | ReadableStream<Uint8Array>, session = admin) =>
  callRoute(uploadRoute, 'PATCH', `/api/uploads/${id}`, { session, params: { uploadId: id }, rawBody: body, headers: { 'content-type': 'application/offset+octet-stream', 'upload-offset': String(offset) } });
const complete = (id: string, session = admin) => callRoute(completeRoute, 'POST', `/api/uploads/${id}/complete`, { session, params: { uploadId: id } });
const sessions = () => (existsSync(path.join(env.dataDir, 'uploads')) ? readdirSync(path.join(env.dataDir, 'uploads')) : []);

/** A body that sends `bytes` up to `cut`, then fails as a dropped connection does. */
function droppedAfter(bytes: Uint8Array, cut: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= cut) return controller.error(new Error('connection reset'));
      const piece = bytes.subarray(sent, Math.min(cut, sent + 64 * 1024));
      controller.enqueue(piece);
      sent += piece.length;
    },
  });
}

describe('resumable uploads', () => {
  it('take a large file in chunks, keep what a dropped chunk delivered, go on from there, and ingest it once complete', async () => {
    const file = new Uint8Array(largeDicom());
    const started = await start('scans/large.dcm', file.length);
    expect(started.status).toBe(201);
    const id = started.json.id as string;
    expect((await chunk(id, 0, file.subarray(0, 3_000_000))).json).toEqual({ offset: 3_000_000 });
    // The next chunk is cut off after 1.5 MB: those bytes stay, the client learns where to go on.
    await chunk(id, 3_000_000, droppedAfter(file.subarray(3_000_000, 6_000_000), 1_500_000)).catch(() => null);
    const held = (await offsetOf(id)).json.offset as number;
    expect(held).toBe(4_500_000);
    // A chunk for the wrong place is refused, with the right one.
    const wrong = await chunk(id, 3_000_000, file.subarray(3_000_000, 6_000_000));
    expect(wrong.status).toBe(409);
    expect(wrong.json.offset).toBe(held);
    // Completing early is refused; the rest, then completion, stores the file.
    expect((await complete(id)).status).toBe(409);
    expect((await chunk(id, held, file.subarray(held))).json).toEqual({ offset: file.length });
    const done = await complete(id);
    expect(done.status).toBe(200);
    expect(done.json.outcomes).toEqual([expect.objectContaining({ name: 'scans/large.dcm', status: 'stored' })]);
    const row = await getDb().instance.findFirstOrThrow({ where: { rows: 2048, size: file.length } });
    expect(row.columns).toBe(2048);
    // The session is gone with its bytes.
    expect((await offsetOf(id)).status).toBe(404);
    expect(sessions()).not.toContain(id);
  });

  it('read zip archives from the uploaded file', async () => {
    const zip = new Uint8Array(readFileSync(sample('invalid/ours/zip_bomb_200MiB.zip')));
    const id = (await start('bomb.zip', zip.length, 'application/zip')).json.id as string;
    await chunk(id, 0, zip);
    const done = await complete(id);
    expect(done.json.outcomes).toEqual([expect.objectContaining({ status: 'rejected', reason: expect.stringMatching(/zip bomb/) })]);
  });

  it('refuse bytes past the announced size, other people’s uploads, and bad requests', async () => {
    const id = (await start('small.dcm', 1000)).json.id as string;
    const tooLong = await chunk(id, 0, new Uint8Array(1500));
    expect(tooLong.status).toBe(413);
    expect((await offsetOf(id)).json.offset).toBe(0); // nothing of it kept

    const other = await makeUser(['admin']);
    const otherSession = await signInOrThrow(other.email, other.password);
    expect((await offsetOf(id, otherSession)).status).toBe(404);
    expect((await chunk(id, 0, new Uint8Array(10), otherSession)).status).toBe(404);
    expect((await complete(id, otherSession)).status).toBe(404);

    const noOffset = await callRoute(uploadRoute, 'PATCH', `/api/uploads/${id}`, { session: admin, params: { uploadId: id }, rawBody: new Uint8Array(10) });
    expect(noOffset.status).toBe(400);
    expect((await offsetOf('../../etc')).status).toBe(404);
    expect((await start('huge.dcm', env.COHORT_MAX_DICOM_BYTES + 1)).status).toBe(413);
    expect((await start('x.png', 10, 'image/png')).status).toBe(400);
    expect((await callRoute(uploadsRoute, 'POST', '/api/uploads', { session: admin, rawBody: '{"name":', headers: { 'content-type': 'application/json' } })).status).toBe(400);

    expect((await callRoute(uploadRoute, 'DELETE', `/api/uploads/${id}`, { session: admin, params: { uploadId: id } })).status).toBe(204);
    expect(sessions()).not.toContain(id);
  });

  it('are swept once abandoned for a day', async () => {
    const id = (await start('abandoned.dcm', 100)).json.id as string;
    expect(await sweepUploads(24 * 3600_000)).toBe(0);
    expect(await sweepUploads(-1)).toBeGreaterThanOrEqual(1);
    expect((await offsetOf(id)).status).toBe(404);
  });
});
