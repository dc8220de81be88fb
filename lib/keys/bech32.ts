/**
 * Bech32 (BIP173) as age uses it: no length limit on the data part, all-lowercase or all-uppercase,
 * the checksum always computed over the lowercase string.
 */
const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

function polymod(values: number[]): number {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = (((chk & 0x1ffffff) << 5) ^ v) >>> 0;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk = (chk ^ GENERATOR[i]!) >>> 0;
  }
  return chk;
}

function hrpExpand(hrp: string): number[] {
  const codes = [...hrp].map((c) => c.charCodeAt(0));
  return [...codes.map((c) => c >> 5), 0, ...codes.map((c) => c & 31)];
}

function checksum(hrp: string, words: number[]): number[] {
  const mod = polymod([...hrpExpand(hrp), ...words, 0, 0, 0, 0, 0, 0]) ^ 1;
  return [0, 1, 2, 3, 4, 5].map((p) => (mod >>> (5 * (5 - p))) & 31);
}

/** Regroups bits; `pad` false (decoding) refuses more than 4 bits of padding or padding that is not zero. */
function convertBits(data: ArrayLike<number>, from: number, to: number, pad: boolean): number[] {
  let acc = 0;
  let bits = 0;
  const out: number[] = [];
  const max = (1 << to) - 1;
  for (let i = 0; i < data.length; i++) {
    const value = data[i]!;
    if (value >> from !== 0) throw new Error('bech32: value out of range');
    acc = ((acc << from) | value) & 0xffffff;
    bits += from;
    while (bits >= to) {
      bits -= to;
      out.push((acc >> bits) & max);
    }
  }
  if (pad) {
    if (bits > 0) out.push((acc << (to - bits)) & max);
  } else if (bits >= from) {
    throw new Error('bech32: too much padding');
  } else if ((acc << (to - bits)) & max) {
    throw new Error('bech32: non-zero padding');
  }
  return out;
}

function checkHrp(hrp: string): void {
  if (!hrp.length) throw new Error('bech32: empty human-readable part');
  for (const c of hrp) {
    const code = c.charCodeAt(0);
    if (code < 33 || code > 126) throw new Error('bech32: invalid character in the human-readable part');
  }
}

/** Encodes 5-bit words; the result is uppercase when `hrp` is. */
export function bech32EncodeWords(hrp: string, words: number[]): string {
  checkHrp(hrp);
  const lower = hrp.toLowerCase();
  if (hrp !== lower && hrp !== hrp.toUpperCase()) throw new Error('bech32: mixed-case human-readable part');
  const s = `${lower}1${[...words, ...checksum(lower, words)].map((w) => CHARSET[w]).join('')}`;
  return hrp === lower ? s : s.toUpperCase();
}

/** Decodes to the human-readable part (lowercase) and 5-bit words, checksum verified. */
export function bech32DecodeWords(s: string): { hrp: string; words: number[] } {
  if (s !== s.toLowerCase() && s !== s.toUpperCase()) throw new Error('bech32: mixed case');
  const lower = s.toLowerCase();
  const pos = lower.lastIndexOf('1');
  if (pos < 1 || pos + 7 > lower.length) throw new Error('bech32: no separator, or the checksum is too short');
  const hrp = lower.slice(0, pos);
  checkHrp(hrp);
  const words: number[] = [];
  for (const c of lower.slice(pos + 1)) {
    const w = CHARSET.indexOf(c);
    if (w < 0) throw new Error('bech32: invalid character in the data part');
    words.push(w);
  }
  if (polymod([...hrpExpand(hrp), ...words]) !== 1) throw new Error('bech32: invalid checksum');
  return { hrp, words: words.slice(0, -6) };
}

export function bech32Encode(hrp: string, data: Uint8Array): string {
  return bech32EncodeWords(hrp, convertBits(data, 8, 5, true));
}

/** The human-readable part (lowercase) and the bytes; throws on any malformation. */
export function bech32Decode(s: string): { hrp: string; data: Buffer } {
  const { hrp, words } = bech32DecodeWords(s);
  return { hrp, data: Buffer.from(convertBits(words, 5, 8, false)) };
}
