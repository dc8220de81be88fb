/**
 * zipStream against two independent readers, yauzl and Info-ZIP's `unzip -t` (which checks every
 * CRC): contents, names and CRCs round-trip, zipLength is the byte count actually written (plain ZIP,
 * forced ZIP64, 65,535 members and a member over 4 GiB), and the writer refuses what would make a
 * corrupt or dangerous archive. Members are opened one at a time and closed on abort.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import yauzl, { type Entry } from 'yauzl';
import { afterAll, describe, expect, it } from 'vitest';
import { zipLength, zipStream, type ZipEntry } from '@/lib/zip/zip-stream';

const hasUnzip = !spawnSync('unzip', ['-v']).error;
const SKIPPED = hasUnzip ? '' : ' (unzip -t skipped: Debian package unzip is not installed)';
const dir = mkdtempSync(path.join(os.tmpdir(), 'cohort-zip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MiB = 1024 * 1024;

/** A member served in chunks of `chunk` bytes; `log` records its opening and closing. */
function member(name: string, bytes: Uint8Array, { chunk = 64 * 1024, log, modified }: { chunk?: number; log?: string[]; modified?: Date } = {}): ZipEntry {
  return {
    name,
    size: bytes.length,
    modified,
    open: async function* () {
      log?.push(`open ${name}`);
      try {
        for (let at = 0; at < bytes.length; at += chunk) yield bytes.subarray(at, at + chunk);
      } finally {
        log?.push(`close ${name}`);
      }
    },
  };
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const c of chunks) parts.push(c);
  return Buffer.concat(parts);
}

type Read = { entry: Entry; data: Buffer };

/** Every member as yauzl reads it (its own CRC check is off: the test compares CRCs itself). */
async function readWithYauzl(zip: yauzl.ZipFile, { data = true } = {}): Promise<Read[]> {
  const out: Read[] = [];
  try {
    for await (const entry of zip.eachEntry()) {
      out.push({ entry, data: data ? await collect(await zip.openReadStreamPromise(entry)) : Buffer.alloc(0) });
    }
  } finally {
    zip.close();
  }
  return out;
}

const yauzlOf = (archive: Buffer) => yauzl.fromBufferPromise(archive, { lazyEntries: true, autoClose: false });

function unzipTest(archive: Buffer, name: string) {
  const file = path.join(dir, name);
  writeFileSync(file, archive);
  const run = spawnSync('unzip', ['-t', file], { encoding: 'utf8', maxBuffer: 64 * MiB });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** Whether the archive ends with a ZIP64 end record and locator before the classic end record. */
function endsWithZip64(archive: Buffer): boolean {
  const end = archive.length - 22;
  expect(archive.readUInt32LE(end)).toBe(0x06054b50);
  return end >= 20 && archive.readUInt32LE(end - 20) === 0x07064b50;
}

describe('zipStream', () => {
  it('refuses absolute, climbing, backslashed, NUL, empty and duplicate names before anything is read', async () => {
    const opened: string[] = [];
    const bad = ['/etc/passwd', 'C:/x.dcm', '../x', 'DICOM/../../x', 'DICOM\\x', 'a\0b', '', 'a//b', './a', 'dir/'];
    for (const name of bad) {
      const entries = [member('ok.txt', Buffer.from('ok'), { log: opened }), member(name, Buffer.from('x'), { log: opened })];
      expect(() => zipLength(entries), JSON.stringify(name)).toThrow(/Zip entry name/);
      await expect(zipStream(entries).next(), JSON.stringify(name)).rejects.toThrow(/Zip entry name/);
    }
    const twice = [member('a', Buffer.from('1')), member('a', Buffer.from('2'))];
    expect(() => zipLength(twice)).toThrow(/"a" appears twice/);
    expect(() => zipLength([{ ...member('a', Buffer.from('1')), size: -1 }])).toThrow(/invalid size/);
    expect(opened).toEqual([]);
  });

  it('throws, naming the member, when it yields fewer or more bytes than declared', async () => {
    const short = { ...member('DICOM/IM1', Buffer.alloc(10)), size: 11 };
    await expect(collect(zipStream([short]))).rejects.toThrow('Zip entry "DICOM/IM1" yielded 10 bytes, but 11 were declared for it.');
    const log: string[] = [];
    const long = { ...member('DICOM/IM2', Buffer.alloc(100), { chunk: 30, log }), size: 50 };
    await expect(collect(zipStream([long]))).rejects.toThrow('Zip entry "DICOM/IM2" yielded more than the 50 bytes declared for it.');
    // Stopped at the chunk that overflowed, and the member was closed.
    expect(log).toEqual(['open DICOM/IM2', 'close DICOM/IM2']);
  });

  it(`round-trips an empty, a small, a 5 MB and a UTF-8-named member through yauzl and unzip -t${SKIPPED}`, async () => {
    const files = [
      { name: 'DICOMDIR', bytes: randomBytes(1234) },
      { name: 'DICOM/EMPTY', bytes: Buffer.alloc(0) },
      { name: 'DICOM/P0000001/IM000001', bytes: randomBytes(5 * 1000 * 1000) },
      { name: 'README – Müller 山田.txt', bytes: Buffer.from('hello\n') },
    ];
    const modified = new Date(Date.UTC(2024, 1, 29, 13, 45, 58));
    const entries = files.map((f) => member(f.name, f.bytes, { chunk: 100_000 + 7, modified }));
    const archive = await collect(zipStream(entries));
    expect(archive.length).toBe(zipLength(entries));
    expect(endsWithZip64(archive)).toBe(false);

    const read = await readWithYauzl(await yauzlOf(archive));
    expect(read.map((r) => r.entry.fileName)).toEqual(files.map((f) => f.name));
    for (const [i, { entry, data }] of read.entries()) {
      const { bytes } = files[i]!;
      expect(data.equals(bytes), entry.fileName).toBe(true);
      expect(entry.crc32).toBe(zlib.crc32(bytes));
      expect(entry).toMatchObject({ compressionMethod: 0, uncompressedSize: bytes.length, compressedSize: bytes.length, versionNeededToExtract: 20 });
      expect(entry.generalPurposeBitFlag & 0x0808).toBe(0x0808);
      expect(entry.extraFields).toEqual([]);
      expect(entry.getLastModDate({ timezone: 'UTC' }).toISOString()).toBe('2024-02-29T13:45:58.000Z');
    }

    if (hasUnzip) {
      const { status, output } = unzipTest(archive, 'plain.zip');
      expect(output).toContain('No errors detected');
      expect(status).toBe(0);
    }
  });

  it(`takes members of undeclared size (made as they are sent), with the same bytes as when declared${SKIPPED}`, async () => {
    const files = [
      { name: 'a.png', bytes: randomBytes(70_000) },
      { name: 'b/empty.png', bytes: Buffer.alloc(0) },
      { name: 'c.png', bytes: randomBytes(3 * MiB + 5) },
    ];
    const declared = files.map((f) => member(f.name, f.bytes, { chunk: 50_001 }));
    const undeclared = declared.map((e) => ({ ...e, size: undefined }));
    expect(() => zipLength(undeclared)).toThrow(/no declared size/);
    const archive = await collect(zipStream(undeclared));
    // The layout does not depend on knowing sizes in advance: byte for byte the declared archive.
    expect(archive.equals(await collect(zipStream(declared)))).toBe(true);
    const read = await readWithYauzl(await yauzlOf(archive));
    expect(read.map((r) => [r.entry.fileName, r.data.equals(files.find((f) => f.name === r.entry.fileName)!.bytes)])).toEqual(files.map((f) => [f.name, true]));
    if (hasUnzip) expect(unzipTest(archive, 'undeclared.zip').output).toContain('No errors detected');
  });

  it(`writes ZIP64 records on request, which yauzl and unzip -t read; zipLength still matches${SKIPPED}`, async () => {
    const files = [randomBytes(70_000), Buffer.alloc(0), Buffer.from('third')];
    const entries = files.map((bytes, i) => member(`f${i}.bin`, bytes));
    const archive = await collect(zipStream(entries, { forceZip64: true }));
    expect(archive.length).toBe(zipLength(entries, { forceZip64: true }));
    expect(zipLength(entries, { forceZip64: true })).toBeGreaterThan(zipLength(entries));
    expect(endsWithZip64(archive)).toBe(true);

    const read = await readWithYauzl(await yauzlOf(archive));
    expect(read).toHaveLength(3);
    for (const [i, { entry, data }] of read.entries()) {
      expect(data.equals(files[i]!)).toBe(true);
      expect(entry.crc32).toBe(zlib.crc32(files[i]!));
      expect(entry.versionNeededToExtract).toBe(45);
      // Sizes and offset came from the ZIP64 extra field: the fixed fields say 0xFFFFFFFF.
      expect(entry.extraFields.map((f) => [f.id, f.data.length])).toEqual([[1, 24]]);
    }
    if (hasUnzip) {
      const { status, output } = unzipTest(archive, 'forced64.zip');
      expect(output).toContain('No errors detected');
      expect(status).toBe(0);
    }
  });

  it(`writes a real ZIP64 end record for 65,535 members (not forced), read by yauzl and unzip -t${SKIPPED}`, async () => {
    const entries = Array.from({ length: 0xffff }, (_, i) => member(`I${i}`, i % 1000 === 0 ? Buffer.from(String(i)) : Buffer.alloc(0)));
    const archive = await collect(zipStream(entries));
    expect(archive.length).toBe(zipLength(entries));
    expect(endsWithZip64(archive)).toBe(true);
    expect(zipLength(entries.slice(1))).toBe(zipLength(entries) - (30 + 2 + 1 + 16 + 46 + 2) - (56 + 20));

    const read = await readWithYauzl(await yauzlOf(archive), { data: false });
    expect(read).toHaveLength(0xffff);
    expect(read[65_000]!.entry).toMatchObject({ fileName: 'I65000', uncompressedSize: 5, crc32: zlib.crc32('65000') });
    if (hasUnzip) {
      const { status, output } = unzipTest(archive, 'many.zip');
      expect(output).toContain('No errors detected in compressed data');
      expect(status).toBe(0);
    }
  });

  it('streams a member over 4 GiB (counted, not kept): ZIP64 sizes, offsets and end records that yauzl reads', async () => {
    const bigSize = 2 ** 32 + 3;
    const zeros = Buffer.alloc(4 * MiB);
    const big: ZipEntry = {
      name: 'big.bin',
      size: bigSize,
      open: async function* () {
        for (let left = bigSize; left > 0; left -= zeros.length) yield left >= zeros.length ? zeros : zeros.subarray(0, left);
      },
    };
    const after = member('after.txt', Buffer.from('after the big one'));
    const entries = [big, after];
    // Everything but the big member's data is kept, at its offset; the archive is read back through a
    // reader that serves zeros in between.
    const kept: { at: number; bytes: Buffer }[] = [];
    let length = 0;
    for await (const chunk of zipStream(entries)) {
      if (chunk.buffer !== zeros.buffer) kept.push({ at: length, bytes: Buffer.from(chunk) });
      length += chunk.byteLength;
    }
    expect(length).toBe(zipLength(entries));
    expect(length).toBe(30 + 7 + 20 + bigSize + 24 + (30 + 9 + 17 + 16) + (46 + 7 + 20) + (46 + 9 + 12) + 56 + 20 + 22);

    class Sparse extends yauzl.RandomAccessReader {
      override _readStreamForRange(start: number, end: number): Readable {
        const out = Buffer.alloc(end - start);
        for (const { at, bytes } of kept) {
          if (at < end && at + bytes.length > start) bytes.copy(out, Math.max(0, at - start), Math.max(0, start - at), Math.min(bytes.length, end - at));
        }
        return Readable.from([out]);
      }
    }
    const zip = await yauzl.fromRandomAccessReaderPromise(new Sparse(), length, { lazyEntries: true, autoClose: false });
    const entriesRead: Entry[] = [];
    let afterData: Buffer | undefined;
    try {
      for await (const entry of zip.eachEntry()) {
        entriesRead.push(entry);
        if (entry.fileName === 'after.txt') afterData = await collect(await zip.openReadStreamPromise(entry));
      }
    } finally {
      zip.close();
    }
    let zerosCrc = 0;
    for (let left = bigSize; left > 0; left -= zeros.length) zerosCrc = zlib.crc32(left >= zeros.length ? zeros : zeros.subarray(0, left), zerosCrc);
    expect(entriesRead[0]).toMatchObject({ fileName: 'big.bin', uncompressedSize: bigSize, compressedSize: bigSize, crc32: zerosCrc, versionNeededToExtract: 45 });
    // The member after it starts beyond 4 GiB: its offset is in its ZIP64 extra field.
    expect(entriesRead[1]).toMatchObject({ fileName: 'after.txt', relativeOffsetOfLocalHeader: 30 + 7 + 20 + bigSize + 24, versionNeededToExtract: 45 });
    expect(afterData?.toString()).toBe('after the big one');
  });

  it('opens one member at a time, only when its turn comes, and closes it before the next', async () => {
    const log: string[] = [];
    let open = 0;
    let mostOpen = 0;
    const entries = ['a', 'b', 'c'].map((name): ZipEntry => {
      const inner = member(name, randomBytes(200_000), { chunk: 50_000, log });
      return {
        ...inner,
        open: async () => {
          open++;
          mostOpen = Math.max(mostOpen, open);
          const source = await inner.open();
          return (async function* () {
            try {
              yield* source;
            } finally {
              open--;
            }
          })();
        },
      };
    });
    const stream = zipStream(entries);
    await stream.next(); // a's local header
    expect(log).toEqual([]);
    await stream.next(); // a's first chunk
    expect(log).toEqual(['open a']);
    await collect(stream);
    expect(log).toEqual(['open a', 'close a', 'open b', 'close b', 'open c', 'close c']);
    expect(mostOpen).toBe(1);
  });

  it('stops on abort, closes the open member (even a stalled one) and throws the reason', async () => {
    const log: string[] = [];
    const controller = new AbortController();
    const entries = [member('a', randomBytes(300_000), { chunk: 10_000, log }), member('b', randomBytes(10), { log })];
    const stream = zipStream(entries, { signal: controller.signal });
    await stream.next();
    await stream.next();
    controller.abort(new Error('client went away'));
    await expect(collect(stream)).rejects.toThrow('client went away');
    expect(log).toEqual(['open a', 'close a']);

    // A source stuck in a read: abort still ends the stream at once.
    const stalled = new AbortController();
    let returned = false;
    const stuck: ZipEntry = {
      name: 'stuck',
      size: 10,
      open: () => ({
        [Symbol.asyncIterator]: () => ({
          next: () => new Promise<IteratorResult<Uint8Array>>(() => {}),
          return: async () => {
            returned = true;
            return { done: true as const, value: undefined };
          },
        }),
      }),
    };
    const pending = collect(zipStream([stuck], { signal: stalled.signal }));
    setTimeout(() => stalled.abort(new Error('gave up')), 20);
    await expect(pending).rejects.toThrow('gave up');
    expect(returned).toBe(true);

    // Closing the stream from the consumer's side (a cancelled response) closes the member too.
    const closed: string[] = [];
    const early = zipStream([member('c', randomBytes(100_000), { chunk: 1000, log: closed })]);
    await early.next();
    await early.next();
    await early.return(undefined);
    expect(closed).toEqual(['open c', 'close c']);
  });
});
