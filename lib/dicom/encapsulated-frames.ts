import { AppError } from '@/lib/errors/app-error';
import type { PositionalReader } from './read-native-frame';

const ITEM = 0xfffee000;
const SEQUENCE_DELIMITER = 0xfffee0dd;

/** Fragments (offset, length) after the Basic Offset Table, and the table's frame offsets. */
async function fragmentTable(file: PositionalReader, start: number) {
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

/**
 * The compressed bytes of the asked frames (numbered from 1) of an encapsulated Pixel Data element
 * (PS3.5 §A.4) whose Basic Offset Table item starts at `pixelDataOffset`: each frame's fragments
 * concatenated, as a decoder or a WADO-RS client takes them.
 */
export async function encapsulatedFrames(file: PositionalReader, row: { pixelDataOffset: number | null; frames: number }, frames: number[]): Promise<Buffer[]> {
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
  return Promise.all(frames.map((n) => joinFragments(file, groups[n - 1]!)));
}

/**
 * Fragments grouped into frames where the offset table is empty: a frame's fragments are never shared
 * with the next frame (PS3.5 §A.4), and each frame starts with its codestream's first marker: JPEG
 * and JPEG-LS SOI (FFD8), a JPEG 2000 codestream's SOC and SIZ (FF4F FF51) or a JP2 or JPEG XL
 * signature box, a JPEG XL codestream (FF0A). Inside compressed data these bytes cannot begin a
 * fragment (JPEG stuffs FF bytes, JPEG 2000 forbids FF90 and above). Empty when the count differs.
 */
async function groupByCodestreamStart<F extends { offset: number; length: number }>(file: PositionalReader, fragments: F[]): Promise<F[][]> {
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

/**
 * Every fragment of an encapsulated Pixel Data element, concatenated: the whole bit stream of a video
 * (PS3.5 §8.2.5–8.2.8), which is one stream for all its frames, split into fragments at any byte.
 */
export async function encapsulatedStream(file: PositionalReader, row: { pixelDataOffset: number | null }): Promise<Buffer> {
  return joinFragments(file, (await fragmentTable(file, row.pixelDataOffset!)).fragments);
}

/** The bytes of these fragments, one after another. */
async function joinFragments(file: PositionalReader, parts: readonly { offset: number; length: number }[]): Promise<Buffer> {
  const out = Buffer.alloc(parts.reduce((s, f) => s + f.length, 0));
  let at = 0;
  for (const f of parts) {
    await file.read(out, at, f.length, f.offset);
    at += f.length;
  }
  return out;
}
