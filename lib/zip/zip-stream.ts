import zlib from 'node:zlib';

/**
 * A streaming, STORE-only ZIP writer (PKWARE APPNOTE 6.3.10). Nothing is compressed: DICOM pixel data
 * usually is already, and storing keeps a study download as fast as reading its files. Sizes are
 * known up front, so the archive's exact length is known before its first byte (zipLength), and
 * each member's CRC-32 follows its data in a data descriptor (flag bit 3): no member is ever buffered
 * or read twice. ZIP64 records appear only when a size, offset or count needs them, so ordinary
 * archives stay plain ZIP that every unzipper reads.
 */

/** One member: its size is declared up front (or, for content made as it is sent, not known), its bytes are read only when its turn comes. */
export type ZipEntry = {
  /** Path inside the archive, '/'-separated; written as UTF-8 (flag bit 11). */
  name: string;
  /** Undefined for content made on the fly (a rendered image): it must stay under 4 GiB, and the archive's length is not known in advance. */
  size: number | undefined;
  /** Defaults to 1980-01-01 00:00 (the DOS epoch): a fixed date keeps archives byte-identical, so a resumed Range request gets the same bytes. */
  modified?: Date;
  open: () => AsyncIterable<Uint8Array> | Promise<AsyncIterable<Uint8Array>>;
};

/** A member held in memory (an index, a README). */
export function bytesEntry(name: string, bytes: Uint8Array): ZipEntry {
  return {
    name,
    size: bytes.byteLength,
    open: async function* () {
      yield bytes;
    },
  };
}

export type ZipOptions = {
  /** Stops the stream: the member being read is closed and the generator throws the signal's reason. */
  signal?: AbortSignal;
  /** ZIP64 records for every member and the end, needed or not: lets tests exercise them without writing 4 GiB. */
  forceZip64?: boolean;
};

const MAX16 = 0xffff;
const MAX32 = 0xffffffff;
const LOCAL_HEADER = 30;
const CENTRAL_HEADER = 46;
const END = 22;
const ZIP64_END = 56;
const ZIP64_LOCATOR = 20;
/** ZIP64 extra field in a local header: id, length, uncompressed and compressed size. */
const ZIP64_LOCAL_EXTRA = 20;
/** Bit 3: CRC and sizes follow the data; bit 11: the name is UTF-8. */
const FLAGS = 0x0808;
const VERSION_ZIP = 20;
const VERSION_ZIP64 = 45;
/** Made by Unix (3), spec 4.5: so unzip honours the permissions below rather than creating mode-0 files. */
const MADE_BY = (3 << 8) | VERSION_ZIP64;
/** A regular file, rw-r--r--. */
const EXTERNAL_ATTRIBUTES = (0o100644 << 16) >>> 0;
const CENTRAL_BATCH = 64 * 1024;

type Member = {
  entry: ZipEntry;
  /** Its bytes: declared, or counted once sent (entries of unknown size). */
  size: number;
  name: Buffer;
  dosTime: number;
  dosDate: number;
  /** Offset of its local header. */
  offset: number;
  /** Sizes in ZIP64 extra fields, local and central; a ZIP64 local extra also means 8-byte sizes in the data descriptor (APPNOTE 4.3.9.2). */
  zip64Sizes: boolean;
  /** Local header offset in the central ZIP64 extra field. */
  zip64Offset: boolean;
};

type Layout = { members: Member[]; centralOffset: number; centralSize: number; zip64End: boolean; length: number };

/** The exact number of bytes zipStream produces for these entries: a response's Content-Length. Throws if a size is not known. */
export function zipLength(entries: readonly ZipEntry[], { forceZip64 = false }: Pick<ZipOptions, 'forceZip64'> = {}): number {
  const unknown = entries.find((e) => e.size === undefined);
  if (unknown) throw new Error(`Zip entry "${unknown.name}" has no declared size: the archive's length cannot be known in advance.`);
  return layout(entries, forceZip64).length;
}

/**
 * The archive's bytes. Members are opened one at a time, in order, each only when its turn comes,
 * and closed before the next opens. A member yielding more or fewer bytes than its declared size
 * throws (naming it) rather than end in a corrupt archive with a wrong length. Bad names and sizes
 * throw before the first byte.
 */
export async function* zipStream(entries: readonly ZipEntry[], { signal, forceZip64 = false }: ZipOptions = {}): AsyncGenerator<Uint8Array> {
  const { members } = layout(entries, forceZip64);
  const crcs: number[] = [];
  // Offsets as written: the same as the layout's where every size was declared.
  let offset = 0;
  for (const member of members) {
    signal?.throwIfAborted();
    member.offset = offset;
    member.zip64Offset = forceZip64 || offset >= MAX32;
    const header = localHeader(member);
    yield header;
    const { crc, size } = yield* memberData(member, signal);
    member.size = size;
    crcs.push(crc);
    const descriptor = dataDescriptor(member, crc);
    yield descriptor;
    offset += header.length + size + descriptor.length;
  }
  const centralOffset = offset;
  const centralSize = members.reduce((sum, m) => sum + CENTRAL_HEADER + m.name.length + centralExtraLength(m), 0);
  const zip64End = forceZip64 || members.length >= MAX16 || centralOffset >= MAX32 || centralSize >= MAX32;
  let batch: Buffer[] = [];
  let batchBytes = 0;
  for (const [i, member] of members.entries()) {
    const header = centralHeader(member, crcs[i]!);
    batch.push(header);
    batchBytes += header.length;
    if (batchBytes >= CENTRAL_BATCH) {
      yield Buffer.concat(batch);
      batch = [];
      batchBytes = 0;
    }
  }
  if (zip64End) batch.push(zip64EndRecords(members.length, centralOffset, centralSize));
  batch.push(endRecord(members.length, centralOffset, centralSize, zip64End));
  yield Buffer.concat(batch);
}

/** Where everything goes; zipLength and zipStream share it, so the announced length is the written one. */
function layout(entries: readonly ZipEntry[], forceZip64: boolean): Layout {
  const seen = new Set<string>();
  const members: Member[] = [];
  let offset = 0;
  for (const entry of entries) {
    checkName(entry.name);
    if (seen.has(entry.name)) throw new Error(`Zip entry "${entry.name}" appears twice.`);
    seen.add(entry.name);
    if (entry.size !== undefined && (!Number.isSafeInteger(entry.size) || entry.size < 0)) throw new Error(`Zip entry "${entry.name}" has an invalid size: ${entry.size}.`);
    const name = Buffer.from(entry.name, 'utf8');
    if (name.length > MAX16) throw new Error(`Zip entry "${entry.name.slice(0, 40)}…" has a name longer than 65535 bytes.`);
    const size = entry.size ?? 0;
    const zip64Sizes = forceZip64 || size >= MAX32;
    const { dosTime, dosDate } = dosDateTime(entry.modified);
    members.push({ entry, size, name, dosTime, dosDate, offset, zip64Sizes, zip64Offset: forceZip64 || offset >= MAX32 });
    offset += LOCAL_HEADER + name.length + (zip64Sizes ? ZIP64_LOCAL_EXTRA : 0) + size + (zip64Sizes ? 24 : 16);
  }
  const centralOffset = offset;
  const centralSize = members.reduce((sum, m) => sum + CENTRAL_HEADER + m.name.length + centralExtraLength(m), 0);
  const zip64End = forceZip64 || members.length >= MAX16 || centralOffset >= MAX32 || centralSize >= MAX32;
  const length = centralOffset + centralSize + (zip64End ? ZIP64_END + ZIP64_LOCATOR : 0) + END;
  return { members, centralOffset, centralSize, zip64End, length };
}

/** Names that would extract outside the target folder, or differently on Windows, are refused. */
function checkName(name: string): void {
  const refuse = (why: string) => {
    throw new Error(`Zip entry name "${name}" ${why}.`);
  };
  if (name.length === 0) refuse('is empty');
  if (name.includes('\0')) refuse('contains NUL');
  if (name.includes('\\')) refuse("contains a backslash (use '/')");
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) refuse('is absolute');
  for (const segment of name.split('/')) {
    if (segment === '..') refuse("contains a '..' segment");
    if (segment === '' || segment === '.') refuse("has an empty or '.' segment");
  }
}

/** MS-DOS date and time (2-second resolution) of the UTC wall clock: a server's time zone must not change the bytes. */
function dosDateTime(date: Date | undefined): { dosTime: number; dosDate: number } {
  const DOS_EPOCH = { dosTime: 0, dosDate: (1 << 5) | 1 };
  if (!date || Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1980) return DOS_EPOCH;
  if (date.getUTCFullYear() > 2107) return { dosTime: (23 << 11) | (59 << 5) | 29, dosDate: (127 << 9) | (12 << 5) | 31 };
  return {
    dosTime: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1),
    dosDate: ((date.getUTCFullYear() - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

function centralExtraLength(m: Member): number {
  const fields = (m.zip64Sizes ? 2 : 0) + (m.zip64Offset ? 1 : 0);
  return fields === 0 ? 0 : 4 + 8 * fields;
}

function localHeader(m: Member): Buffer {
  const b = Buffer.alloc(LOCAL_HEADER + m.name.length + (m.zip64Sizes ? ZIP64_LOCAL_EXTRA : 0));
  b.writeUInt32LE(0x04034b50, 0);
  b.writeUInt16LE(m.zip64Sizes ? VERSION_ZIP64 : VERSION_ZIP, 4);
  b.writeUInt16LE(FLAGS, 6);
  b.writeUInt16LE(0, 8); // stored
  b.writeUInt16LE(m.dosTime, 10);
  b.writeUInt16LE(m.dosDate, 12);
  // CRC and sizes are zero here (flag bit 3: they follow the data); 0xFFFFFFFF defers the sizes to the ZIP64 field.
  b.writeUInt32LE(0, 14);
  b.writeUInt32LE(m.zip64Sizes ? MAX32 : 0, 18);
  b.writeUInt32LE(m.zip64Sizes ? MAX32 : 0, 22);
  b.writeUInt16LE(m.name.length, 26);
  b.writeUInt16LE(m.zip64Sizes ? ZIP64_LOCAL_EXTRA : 0, 28);
  m.name.copy(b, LOCAL_HEADER);
  if (m.zip64Sizes) {
    const at = LOCAL_HEADER + m.name.length;
    b.writeUInt16LE(0x0001, at);
    b.writeUInt16LE(16, at + 2); // both sizes, zero as in the fixed fields
  }
  return b;
}

function dataDescriptor(m: Member, crc: number): Buffer {
  const b = Buffer.alloc(m.zip64Sizes ? 24 : 16);
  b.writeUInt32LE(0x08074b50, 0);
  b.writeUInt32LE(crc >>> 0, 4);
  if (m.zip64Sizes) {
    b.writeBigUInt64LE(BigInt(m.size), 8);
    b.writeBigUInt64LE(BigInt(m.size), 16);
  } else {
    b.writeUInt32LE(m.size, 8);
    b.writeUInt32LE(m.size, 12);
  }
  return b;
}

function centralHeader(m: Member, crc: number): Buffer {
  const extra = centralExtraLength(m);
  const b = Buffer.alloc(CENTRAL_HEADER + m.name.length + extra);
  const zip64 = extra > 0;
  b.writeUInt32LE(0x02014b50, 0);
  b.writeUInt16LE(MADE_BY, 4);
  b.writeUInt16LE(zip64 ? VERSION_ZIP64 : VERSION_ZIP, 6);
  b.writeUInt16LE(FLAGS, 8);
  b.writeUInt16LE(0, 10);
  b.writeUInt16LE(m.dosTime, 12);
  b.writeUInt16LE(m.dosDate, 14);
  b.writeUInt32LE(crc >>> 0, 16);
  b.writeUInt32LE(m.zip64Sizes ? MAX32 : m.size, 20);
  b.writeUInt32LE(m.zip64Sizes ? MAX32 : m.size, 24);
  b.writeUInt16LE(m.name.length, 28);
  b.writeUInt16LE(extra, 30);
  // 32: comment length, 34: disk number start, 36: internal attributes, all zero.
  b.writeUInt32LE(EXTERNAL_ATTRIBUTES, 38);
  b.writeUInt32LE(m.zip64Offset ? MAX32 : m.offset, 42);
  m.name.copy(b, CENTRAL_HEADER);
  if (zip64) {
    // APPNOTE 4.5.3: only the overflowing fields, in this fixed order.
    let at = CENTRAL_HEADER + m.name.length;
    b.writeUInt16LE(0x0001, at);
    b.writeUInt16LE(extra - 4, at + 2);
    at += 4;
    if (m.zip64Sizes) {
      b.writeBigUInt64LE(BigInt(m.size), at);
      b.writeBigUInt64LE(BigInt(m.size), at + 8);
      at += 16;
    }
    if (m.zip64Offset) b.writeBigUInt64LE(BigInt(m.offset), at);
  }
  return b;
}

/** ZIP64 end of central directory record, then its locator. */
function zip64EndRecords(count: number, centralOffset: number, centralSize: number): Buffer {
  const b = Buffer.alloc(ZIP64_END + ZIP64_LOCATOR);
  b.writeUInt32LE(0x06064b50, 0);
  b.writeBigUInt64LE(BigInt(ZIP64_END - 12), 4); // size of the rest of the record
  b.writeUInt16LE(MADE_BY, 12);
  b.writeUInt16LE(VERSION_ZIP64, 14);
  // 16: this disk, 20: disk of the central directory, both zero.
  b.writeBigUInt64LE(BigInt(count), 24);
  b.writeBigUInt64LE(BigInt(count), 32);
  b.writeBigUInt64LE(BigInt(centralSize), 40);
  b.writeBigUInt64LE(BigInt(centralOffset), 48);
  const locator = ZIP64_END;
  b.writeUInt32LE(0x07064b50, locator);
  // +4: disk of the ZIP64 end record, zero.
  b.writeBigUInt64LE(BigInt(centralOffset + centralSize), locator + 8);
  b.writeUInt32LE(1, locator + 16); // disks in all
  return b;
}

function endRecord(count: number, centralOffset: number, centralSize: number, zip64: boolean): Buffer {
  const b = Buffer.alloc(END);
  b.writeUInt32LE(0x06054b50, 0);
  // With ZIP64, every field says "see the ZIP64 record", so readers cannot take a truncated value.
  b.writeUInt16LE(zip64 ? MAX16 : count, 8);
  b.writeUInt16LE(zip64 ? MAX16 : count, 10);
  b.writeUInt32LE(zip64 ? MAX32 : centralSize, 12);
  b.writeUInt32LE(zip64 ? MAX32 : centralOffset, 16);
  return b;
}

/** One member's bytes, passed through as they come; returns their CRC-32 and count (which must be the declared size, if one was). */
async function* memberData({ entry, zip64Sizes }: Member, signal: AbortSignal | undefined): AsyncGenerator<Uint8Array, { crc: number; size: number }> {
  const limit = entry.size ?? (zip64Sizes ? Number.MAX_SAFE_INTEGER : MAX32 - 1);
  const source = await entry.open();
  const iterator = source[Symbol.asyncIterator]();
  let crc = 0;
  let read = 0;
  let finished = false;
  let reading = false;
  try {
    for (;;) {
      reading = true;
      const step = await untilAborted(iterator.next(), signal);
      reading = false;
      if (step.done) {
        finished = true;
        break;
      }
      const chunk = step.value;
      read += chunk.byteLength;
      if (read > limit) {
        throw new Error(entry.size === undefined ? `Zip entry "${entry.name}" of undeclared size passed 4 GiB.` : `Zip entry "${entry.name}" yielded more than the ${entry.size} bytes declared for it.`);
      }
      if (chunk.byteLength === 0) continue;
      crc = zlib.crc32(chunk, crc);
      yield chunk;
    }
  } finally {
    if (!finished) {
      // Closes the file before the next one opens; after an abort mid-read, an async generator would
      // only close once that read settles, so then it closes in the background.
      const closing = Promise.resolve()
        .then(() => iterator.return?.())
        .catch(() => undefined);
      if (!reading) await closing;
    }
  }
  if (entry.size !== undefined && read !== entry.size) throw new Error(`Zip entry "${entry.name}" yielded ${read} bytes, but ${entry.size} were declared for it.`);
  return { crc, size: read };
}

/** The promise, or the signal's reason as soon as it aborts (a stalled read must not hold the stream open). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    void promise.then(resolve, reject).then(() => signal.removeEventListener('abort', onAbort));
  });
}
