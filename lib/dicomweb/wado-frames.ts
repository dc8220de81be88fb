import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import { getDb } from '@/lib/db/client';
import { readNativeFrame, type NativePixels } from '@/lib/dicom/read-native-frame';
import { EXPLICIT_VR_BIG_ENDIAN, EXPLICIT_VR_LITTLE_ENDIAN, isNativeOnDisk, transferSyntaxOf } from '@/lib/dicom/transfer-syntaxes';
import { AppError } from '@/lib/errors/app-error';
import { getBlobStore } from '@/lib/storage/get-blob-store';
import { contentTypeParameter } from './multipart';

export type FramesRequest = { study: string; series: string; instance: string; frames: number[]; accept: string | null };

const ITEM = 0xfffee000;
const SEQUENCE_DELIMITER = 0xfffee0dd;

/**
 * WADO-RS RetrieveFrames (PS3.18 §10.4.1.1.4): the pixel data of the asked frames, one part each.
 * Compressed frames come as stored (their fragments); native frames come as stored or, when the
 * client asks for explicit VR little endian, converted to it (big endian byte-swapped). Any other
 * transfer syntax than the stored one is 406: Cohort never re-encodes.
 */
export async function retrieveFrames({ study, series, instance, frames, accept }: FramesRequest): Promise<Response> {
  const row = await getDb().instance.findFirst({
    where: { sopInstanceUid: instance, series: { seriesInstanceUid: series, study: { studyInstanceUid: study } } },
  });
  if (!row) throw new AppError('NOT_FOUND', 'No such instance.');
  if (row.pixelDataOffset === null) throw new AppError('NOT_FOUND', 'This instance has no pixel data.');
  const bad = frames.find((n) => !Number.isInteger(n) || n < 1 || n > row.frames);
  if (bad !== undefined || frames.length === 0) throw new AppError('BAD_REQUEST', `Frames are numbered 1 to ${row.frames}.`);

  const stored = row.transferSyntaxUid;
  const wanted = requestedTransferSyntax(accept) ?? stored;
  const convert = wanted !== stored;
  if (convert && !(wanted === EXPLICIT_VR_LITTLE_ENDIAN && isNativeOnDisk(stored))) {
    throw new AppError('NOT_ACCEPTABLE', `The frames are stored as ${transferSyntaxOf(stored)?.name ?? stored}; Cohort sends them as stored, or native ones as explicit VR little endian.`);
  }

  const file = await fs.open(getBlobStore().pathOf(row.sha256), 'r');
  let parts: Buffer[];
  try {
    parts = isNativeOnDisk(stored) ? await nativeFrames(file, row, frames, stored === EXPLICIT_VR_BIG_ENDIAN && convert) : await encapsulatedFrames(file, row, frames);
  } finally {
    await file.close();
  }
  const boundary = `cohort-${randomUUID()}`;
  const head = (ts: string) => Buffer.from(`--${boundary}\r\nContent-Type: application/octet-stream; transfer-syntax=${ts}\r\n\r\n`);
  const body = Buffer.concat([...parts.flatMap((p) => [head(wanted), p, Buffer.from('\r\n')]), Buffer.from(`--${boundary}--\r\n`)]);
  return new Response(new Uint8Array(body), {
    headers: { 'content-type': `multipart/related; type="application/octet-stream"; transfer-syntax=${wanted}; boundary=${boundary}` },
  });
}

/** The transfer syntax in an Accept header's multipart/related part type, unless any (*) will do. */
function requestedTransferSyntax(accept: string | null): string | undefined {
  for (const option of (accept ?? '').split(',')) {
    const ts = contentTypeParameter(option, 'transfer-syntax');
    if (ts && ts !== '*') return ts;
  }
  return undefined;
}

async function nativeFrames(file: fs.FileHandle, row: NativePixels, frames: number[], swap: boolean): Promise<Buffer[]> {
  return Promise.all(frames.map((n) => readNativeFrame(file, row, n, swap)));
}

/** Fragments (offset, length) after the Basic Offset Table, and the table's frame offsets. */
async function fragmentTable(file: fs.FileHandle, start: number) {
  const header = Buffer.alloc(8);
  const read = async (position: number) => {
    await file.read(header, 0, 8, position);
    return { tag: ((header.readUInt16LE(0) << 16) | header.readUInt16LE(2)) >>> 0, length: header.readUInt32LE(4) };
  };
  let position = start;
  const bot = await read(position);
  if (bot.tag !== ITEM) throw new AppError('INTERNAL', 'Stored pixel data has no Basic Offset Table item.');
  const table = Buffer.alloc(bot.length);
  await file.read(table, 0, bot.length, position + 8);
  const offsets = Array.from({ length: bot.length / 4 }, (_, i) => table.readUInt32LE(i * 4));
  position += 8 + bot.length;
  const firstFragment = position;
  const fragments: { offset: number; length: number; relative: number }[] = [];
  for (;;) {
    const item = await read(position);
    if (item.tag === SEQUENCE_DELIMITER) break;
    if (item.tag !== ITEM) throw new AppError('INTERNAL', 'Stored pixel data is malformed.');
    fragments.push({ offset: position + 8, length: item.length, relative: position - firstFragment });
    position += 8 + item.length;
  }
  return { offsets, fragments };
}

async function encapsulatedFrames(file: fs.FileHandle, row: { pixelDataOffset: number | null; frames: number }, frames: number[]): Promise<Buffer[]> {
  const { offsets, fragments } = await fragmentTable(file, row.pixelDataOffset!);
  // Which fragments make each frame: by the offset table; else one fragment per frame; else one frame of all.
  const groups: (typeof fragments)[] =
    offsets.length === row.frames
      ? offsets.map((o, i) => fragments.filter((f) => f.relative >= o && (i + 1 === offsets.length || f.relative < offsets[i + 1]!)))
      : fragments.length === row.frames
        ? fragments.map((f) => [f])
        : row.frames === 1
          ? [fragments]
          : [];
  if (groups.length !== row.frames) throw new AppError('NOT_FOUND', 'The frames of this instance cannot be told apart (no offset table, and fragments do not match frames).');
  return Promise.all(
    frames.map(async (n) => {
      const parts = groups[n - 1]!;
      const out = Buffer.alloc(parts.reduce((s, f) => s + f.length, 0));
      let at = 0;
      for (const f of parts) {
        await file.read(out, at, f.length, f.offset);
        at += f.length;
      }
      return out;
    }),
  );
}
