import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import { getDb } from '@/lib/db/client';
import { canDecodeFrames, framePixels } from '@/lib/dicom/frame-pixels';
import { readNativeFrame } from '@/lib/dicom/read-native-frame';
import { EXPLICIT_VR_LITTLE_ENDIAN, isNativeOnDisk, transferSyntaxOf } from '@/lib/dicom/transfer-syntaxes';
import { AppError } from '@/lib/errors/app-error';
import { getBlobStore } from '@/lib/storage/get-blob-store';
import { contentTypeParameter } from './multipart';

export type FramesRequest = { study: string; series: string; instance: string; frames: number[]; accept: string | null };

const ITEM = 0xfffee000;
const SEQUENCE_DELIMITER = 0xfffee0dd;

/**
 * WADO-RS RetrieveFrames (PS3.18 §10.4.1.1.4): the pixel data of the asked frames, one part each,
 * as stored (compressed ones as their fragments) or, when the client asks for explicit VR little
 * endian, converted to it: big endian byte-swapped, grayscale JPEG, JPEG-LS, JPEG 2000 and RLE
 * decoded. Frames of a deflated file are inflated: explicit VR little endian is the only form they
 * have. Any other transfer syntax is 406: Cohort never encodes.
 */
export async function retrieveFrames({ study, series, instance, frames, accept }: FramesRequest): Promise<Response> {
  const row = await getDb().instance.findFirst({
    where: { sopInstanceUid: instance, series: { seriesInstanceUid: series, study: { studyInstanceUid: study } } },
  });
  if (!row) throw new AppError('NOT_FOUND', 'No such instance.');
  if (row.pixelDataOffset === null) throw new AppError('NOT_FOUND', 'This instance has no pixel data.');
  const bad = frames.find((n) => !Number.isInteger(n) || n < 1 || n > row.frames);
  if (bad !== undefined || frames.length === 0) throw new AppError('BAD_REQUEST', `Frames are numbered 1 to ${row.frames}.`);

  const deflated = transferSyntaxOf(row.transferSyntaxUid)?.deflated === true;
  const stored = deflated ? EXPLICIT_VR_LITTLE_ENDIAN : row.transferSyntaxUid;
  const wanted = requestedTransferSyntax(accept) ?? stored;
  const convert = wanted !== stored;
  if (convert && !(wanted === EXPLICIT_VR_LITTLE_ENDIAN && canDecodeFrames(row))) {
    throw new AppError(
      'NOT_ACCEPTABLE',
      `The frames are stored as ${transferSyntaxOf(stored)?.name ?? stored}; Cohort sends them as stored, or as explicit VR little endian when they are native or grayscale it can decode.`,
    );
  }

  let parts: Buffer[];
  if (convert || deflated) {
    parts = await framePixels(row, frames);
  } else {
    const file = await fs.open(getBlobStore().pathOf(row.sha256), 'r');
    try {
      parts = isNativeOnDisk(stored) ? await Promise.all(frames.map((n) => readNativeFrame(file, row, n))) : await encapsulatedFrames(file, row, frames);
    } finally {
      await file.close();
    }
  }
  const boundary = `cohort-${randomUUID()}`;
  const head = (ts: string) => Buffer.from(`--${boundary}\r\nContent-Type: application/octet-stream; transfer-syntax=${ts}\r\n\r\n`);
  const body = Buffer.concat([...parts.flatMap((p) => [head(wanted), p, Buffer.from('\r\n')]), Buffer.from(`--${boundary}--\r\n`)]);
  return new Response(new Uint8Array(body), {
    headers: { 'content-type': `multipart/related; type="application/octet-stream"; transfer-syntax=${wanted}; boundary=${boundary}` },
  });
}

/**
 * Fragments grouped into frames where the offset table is empty: a frame's fragments are never shared
 * with the next frame (PS3.5 §A.4), and each frame starts with its codestream's first marker: JPEG
 * and JPEG-LS SOI (FFD8), a JPEG 2000 codestream's SOC and SIZ (FF4F FF51) or a JP2 or JPEG XL
 * signature box, a JPEG XL codestream (FF0A). Inside compressed data these bytes cannot begin a
 * fragment (JPEG stuffs FF bytes, JPEG 2000 forbids FF90 and above). Empty when the count differs.
 */
async function groupByCodestreamStart<F extends { offset: number; length: number }>(file: fs.FileHandle, fragments: F[]): Promise<F[][]> {
  const groups: F[][] = [];
  const head = Buffer.alloc(8);
  for (const fragment of fragments) {
    head.fill(0);
    await file.read(head, 0, Math.min(8, fragment.length), fragment.offset);
    const starts =
      (head[0] === 0xff && (head[1] === 0xd8 || head[1] === 0x0a)) ||
      head.subarray(0, 4).equals(Buffer.from([0xff, 0x4f, 0xff, 0x51])) ||
      head.subarray(0, 8).equals(Buffer.from('0000000c6a502020', 'hex')) ||
      head.subarray(0, 8).equals(Buffer.from('0000000c4a584c20', 'hex'));
    if (starts) groups.push([fragment]);
    else if (groups.length) groups.at(-1)!.push(fragment);
    else return [];
  }
  return groups;
}

/** The transfer syntax in an Accept header's multipart/related part type, unless any (*) will do. */
function requestedTransferSyntax(accept: string | null): string | undefined {
  for (const option of (accept ?? '').split(',')) {
    const ts = contentTypeParameter(option, 'transfer-syntax');
    if (ts && ts !== '*') return ts;
  }
  return undefined;
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
  // Which fragments make each frame: by the offset table; else one fragment per frame; else one frame of all;
  // else (an empty table, frames in several fragments) by where a codestream starts.
  const groups: (typeof fragments)[] =
    offsets.length === row.frames
      ? offsets.map((o, i) => fragments.filter((f) => f.relative >= o && (i + 1 === offsets.length || f.relative < offsets[i + 1]!)))
      : fragments.length === row.frames
        ? fragments.map((f) => [f])
        : row.frames === 1
          ? [fragments]
          : await groupByCodestreamStart(file, fragments);
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
