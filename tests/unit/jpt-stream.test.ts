/**
 * Reading JPT-streams (ISO/IEC 15444-9 Annex A) back into a codestream: message headers that leave out
 * the class and codestream (carried over from the message before), Bin-IDs longer than one byte,
 * data-bins in any order, and every way a stream can fall short, refused with the reason.
 */
import { describe, expect, it } from 'vitest';
import { codestreamFromJpt, JptStreamError, parseJpipMessages } from '@/lib/dicom/jpip/jpt-stream';

/** SOC, SIZ-like marker segment (content irrelevant here), then a tile-part per tile: SOT, SOD, data. */
function codestream(tiles: number): Uint8Array {
  const main = [0xff, 0x4f, 0xff, 0x51, 0x00, 0x04, 0xaa, 0xbb];
  const parts = Array.from({ length: tiles }, (_, t) => [0xff, 0x90, 0x00, 0x0a, t >> 8, t & 0xff, 0, 0, 0, 16, 0, 1, 0xff, 0x93, t, t]);
  return Uint8Array.from([...main, ...parts.flat()]);
}

describe('JPT-streams', () => {
  it('reads messages whose class and codestream carry over, and a Bin-ID of several bytes', () => {
    const messages = parseJpipMessages(
      Uint8Array.from([
        // Main header: indicator 3 (class 6, codestream 0), last byte in it, offset 0, 2 bytes.
        0x70, 6, 0, 0, 2, 0xff, 0x4f,
        // Tile 200 (1 in the first byte's 4 bits, 0x48 in the next 7), class 4 and codestream 0 given, not last: offset 0, 1 byte.
        0xe1, 0x48, 4, 0, 0, 1, 0x11,
        // Tile 200 again, class and codestream carried over (indicator 1), last: offset 1, 1 byte.
        0xb1, 0x48, 1, 1, 0x22,
        // End Of Response.
        0, 1, 0,
      ]),
    );
    expect(messages.map(({ classId, codestream, inClassId, offset, last, body }) => [classId, codestream, inClassId, offset, last, [...body]])).toEqual([
      [6, 0, 0, 0, true, [0xff, 0x4f]],
      [4, 0, 200, 0, false, [0x11]],
      [4, 0, 200, 1, true, [0x22]],
    ]);
  });

  it('puts the main header and tiles back in order, whatever order their messages came in', () => {
    const original = codestream(3);
    const main = original.subarray(0, 8);
    const tile = (t: number) => original.subarray(8 + 16 * t, 24 + 16 * t);
    const message = (classId: number, id: number, offset: number, body: Uint8Array, last: boolean) => ({ classId, codestream: 0, inClassId: id, offset, last, body });
    const rebuilt = codestreamFromJpt([
      message(4, 2, 8, tile(2).subarray(8), true),
      message(4, 1, 0, tile(1), true),
      message(6, 0, 0, main, true),
      message(4, 2, 0, tile(2).subarray(0, 8), false),
      message(4, 0, 0, tile(0), true),
      message(8, 0, 0, Uint8Array.of(1, 2, 3), true), // metadata: not part of the codestream
    ]);
    expect([...rebuilt]).toEqual([...original, 0xff, 0xd9]);
  });

  it('refuses streams that fall short, saying how', () => {
    const main = { classId: 6, codestream: 0, inClassId: 0, offset: 0, last: true, body: Uint8Array.of(0xff, 0x4f) };
    const tile = { classId: 4, codestream: 0, inClassId: 0, offset: 0, last: true, body: Uint8Array.of(0xff, 0x90) };
    const cases: [Parameters<typeof codestreamFromJpt>[0], RegExp][] = [
      [[tile], /sent no main data-bin/],
      [[main], /sent no tile data-bins/],
      [[main, { ...tile, last: false }], /only part of the tile 0 data-bin/],
      [[main, { ...tile, offset: 4 }], /tile 0 data-bin misses bytes 0 to 3/],
      [[{ ...main, body: Uint8Array.of(1, 2) }, tile], /does not start a JPEG 2000 codestream/],
      [[main, { ...tile, classId: 0 }], /JPP-stream/],
    ];
    for (const [messages, reason] of cases) expect(() => codestreamFromJpt(messages)).toThrow(reason);
    expect(() => parseJpipMessages(Uint8Array.of(0x70, 6, 0, 0, 9, 0xff))).toThrow(JptStreamError);
    expect(() => parseJpipMessages(Uint8Array.of(0x70, 6, 0x80))).toThrow(/ends inside a message header/);
    expect(() => parseJpipMessages(Uint8Array.of(0x10, 6, 0, 0, 0))).toThrow(/Bin-ID indicator of 0/);
  });
});
