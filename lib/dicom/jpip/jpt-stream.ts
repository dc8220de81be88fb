/**
 * JPT-streams (ISO/IEC 15444-9 Annex A): a JPIP server's answer as messages, each a range of bytes of
 * one data-bin. Of a tile-based stream, the main header data-bin (SOC up to the first tile-part) and
 * each tile's data-bin (its tile-parts, SOT marker segments included) put back in order, with an EOC,
 * are the codestream: what a JPIP-referenced image's pixels are (PS3.5 §A.6).
 */

export const CLASS = { precinct: 0, extendedPrecinct: 1, tileHeader: 2, tile: 4, extendedTile: 5, mainHeader: 6, metadata: 8 } as const;

export type JpipMessage = {
  classId: number;
  /** Which codestream of the target (0 for a single image). */
  codestream: number;
  /** The data-bin within its class: a tile's index for tile data-bins. */
  inClassId: number;
  offset: number;
  /** The message holds the data-bin's last byte. */
  last: boolean;
  body: Uint8Array;
};

export class JptStreamError extends Error {}

/** Reads messages up to the end of the bytes or an End Of Response message (A.2, D.3). */
export function parseJpipMessages(bytes: Uint8Array): JpipMessage[] {
  const messages: JpipMessage[] = [];
  let at = 0;
  // Class and codestream carry over from the previous message when a header leaves them out.
  let classId = 0;
  let codestream = 0;
  /** A variable-length value (VBAS: 7 bits a byte, high bit set on all but the last), after `value` read so far. */
  const vbas = (what: string, value = 0): number => {
    for (let n = 0; ; n++) {
      if (at >= bytes.length) throw new JptStreamError(`The JPIP response ends inside a message header (${what}).`);
      if (n === 8) throw new JptStreamError(`A JPIP message's ${what} is longer than 8 bytes.`);
      const byte = bytes[at++]!;
      value = value * 128 + (byte & 0x7f);
      if (!(byte & 0x80)) return value;
    }
  };
  while (at < bytes.length) {
    const first = bytes[at]!;
    if (first === 0) break; // End Of Response: a reason and a length follow, nothing of the image
    const indicator = (first >> 5) & 3;
    const last = (first & 0x10) !== 0;
    // The Bin-ID's first byte gives 4 bits of the in-class id, each further byte 7.
    at++;
    const inClassId = first & 0x80 ? vbas('Bin-ID', first & 0x0f) : first & 0x0f;
    if (indicator === 0) throw new JptStreamError('A JPIP message header has a Bin-ID indicator of 0.');
    if (indicator >= 2) classId = vbas('class');
    if (indicator === 3) codestream = vbas('codestream number');
    const offset = vbas('offset');
    const length = vbas('length');
    // Extended classes (odd) carry an auxiliary value: quality layers, not needed to rebuild the codestream.
    if (classId % 2 === 1) vbas('auxiliary value');
    if (at + length > bytes.length) throw new JptStreamError(`The JPIP response ends inside a message body (${length} bytes at ${at}, ${bytes.length - at} there).`);
    messages.push({ classId, codestream, inClassId, offset, last, body: bytes.subarray(at, at + length) });
    at += length;
  }
  return messages;
}

/**
 * The codestream of image `codestream` from a JPT-stream's messages: its main header data-bin, then its
 * tile data-bins by tile index, then EOC. Every data-bin must have come whole (from byte 0 to the
 * message marked last, without gaps), or the pixels would be partial: that is refused with the reason.
 */
export function codestreamFromJpt(messages: readonly JpipMessage[], codestream = 0): Uint8Array {
  const bins = new Map<string, { parts: JpipMessage[] }>();
  for (const m of messages) {
    if (m.codestream !== codestream) continue;
    if (m.classId === CLASS.precinct || m.classId === CLASS.extendedPrecinct || m.classId === CLASS.tileHeader) {
      throw new JptStreamError('The JPIP server answered with a JPP-stream (precinct data-bins); Cohort reads JPT-streams (tile data-bins).');
    }
    if (m.classId !== CLASS.mainHeader && m.classId !== CLASS.tile && m.classId !== CLASS.extendedTile) continue;
    const key = m.classId === CLASS.mainHeader ? 'main' : `tile ${m.inClassId}`;
    const bin = bins.get(key) ?? { parts: [] };
    bin.parts.push(m);
    bins.set(key, bin);
  }
  const whole = (key: string): Uint8Array => {
    const parts = [...(bins.get(key)?.parts ?? [])].sort((a, b) => a.offset - b.offset);
    let end = 0;
    let complete = false;
    for (const p of parts) {
      if (p.offset > end) throw new JptStreamError(`The JPIP server's ${key} data-bin misses bytes ${end} to ${p.offset - 1}.`);
      end = Math.max(end, p.offset + p.body.length);
      complete ||= p.last;
    }
    if (!complete) throw new JptStreamError(parts.length ? `The JPIP server sent only part of the ${key} data-bin.` : `The JPIP server sent no ${key} data-bin.`);
    const out = new Uint8Array(end);
    for (const p of parts) out.set(p.body, p.offset);
    return out;
  };
  const main = whole('main');
  if (main[0] !== 0xff || main[1] !== 0x4f) throw new JptStreamError("The JPIP server's main header does not start a JPEG 2000 codestream (SOC).");
  const tiles = [...bins.keys()].filter((k) => k !== 'main').map((k) => Number(k.slice(5))).sort((a, b) => a - b);
  if (!tiles.length) throw new JptStreamError('The JPIP server sent no tile data-bins.');
  const parts = [main, ...tiles.map((t) => whole(`tile ${t}`)), Uint8Array.of(0xff, 0xd9)];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}
