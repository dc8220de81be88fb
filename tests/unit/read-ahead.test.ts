import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { ReadAhead } from '@/lib/storage/read-ahead';

const dir = mkdtempSync(path.join(os.tmpdir(), 'cohort-read-ahead-'));
const streams: Readable[] = [];
// Files open asynchronously: remove them only once every stream has closed.
afterAll(async () => {
  await Promise.all(streams.map((s) => (s.closed ? null : new Promise((resolve) => s.once('close', resolve)))));
  rmSync(dir, { recursive: true, force: true });
});
// Larger than a read chunk, so a file read ahead is still open (not read to its end) when the copy stops.
const files = [0, 1, 2].map((i) => {
  const file = path.join(dir, `f${i}`);
  writeFileSync(file, Buffer.alloc(3 * 1024 * 1024, i + 1));
  return file;
});

function opener() {
  const opened: { index: number; stream: Readable }[] = [];
  const readAhead = new ReadAhead(files.length, async (index) => {
    const stream = createReadStream(files[index]!, { highWaterMark: 1024 * 1024 });
    opened.push({ index, stream });
    streams.push(stream);
    return stream;
  });
  return { readAhead, opened };
}

async function drain(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

describe('ReadAhead', () => {
  it('hands out each file once, in order, opening the next while the current is read', async () => {
    const { readAhead, opened } = opener();
    const first = await readAhead.open(0);
    expect(opened.map((o) => o.index)).toEqual([0, 1]);
    expect((await drain(first)).equals(Buffer.alloc(3 * 1024 * 1024, 1))).toBe(true);
    const second = await readAhead.open(1);
    expect(second).toBe(opened[1]!.stream);
    expect((await drain(second))[0]).toBe(2);
    expect((await drain(await readAhead.open(2)))[0]).toBe(3);
    expect(opened.map((o) => o.index)).toEqual([0, 1, 2]);
  });

  it('closes the file read ahead when the copy stops before it', async () => {
    const { readAhead, opened } = opener();
    (await readAhead.open(0)).destroy();
    readAhead.close();
    await expect.poll(() => opened.find((o) => o.index === 1)?.stream.destroyed).toBe(true);
    expect(opened.map((o) => o.index)).toEqual([0, 1]);
  });
});
