import type { DataSet } from 'dicom-parser';

/** A Palette Color Lookup Table (PS3.3 C.7.6.3.1.5) with 8-bit outputs, for display. */
export type Palette = { firstMapped: number; red: Uint8Array; green: Uint8Array; blue: Uint8Array };

const CHANNELS = [
  { name: 'Red', descriptor: 'x00281101', data: 'x00281201', segmented: 'x00281221' },
  { name: 'Green', descriptor: 'x00281102', data: 'x00281202', segmented: 'x00281222' },
  { name: 'Blue', descriptor: 'x00281103', data: 'x00281203', segmented: 'x00281223' },
] as const;

/**
 * The palette of a PALETTE COLOR image from its header: plain or segmented LUT data (PS3.3
 * C.7.9.2; discrete and linear segments), entries of 8 or 16 bits. Throws with a reason when the
 * header has no usable palette.
 */
export function readPalette(dataSet: DataSet, signedPixels: boolean): Palette {
  const [red, green, blue] = CHANNELS.map((channel) => {
    if (!dataSet.elements[channel.descriptor]) throw new Error(`The image has no ${channel.name} Palette Color Lookup Table Descriptor.`);
    const entries = dataSet.uint16(channel.descriptor, 0) || 65536; // 0 means 2^16 (PS3.3 C.7.6.3.1.5)
    const bits = dataSet.uint16(channel.descriptor, 2);
    if (bits !== 8 && bits !== 16) throw new Error(`The ${channel.name} palette has ${bits}-bit entries; 8 or 16 are defined.`);
    const words = dataSet.elements[channel.data] ? wordsOf(dataSet, channel.data, entries, bits) : dataSet.elements[channel.segmented] ? expandSegments(wordsOf(dataSet, channel.segmented, 0, 16), entries) : null;
    if (!words) throw new Error(`The image has no ${channel.name} Palette Color Lookup Table Data.`);
    const out = new Uint8Array(entries);
    // 16-bit entries scale down to 8; 8-bit ones may sit in 16-bit words (their low byte).
    for (let i = 0; i < entries; i++) out[i] = bits === 16 ? (words[Math.min(i, words.length - 1)]! >> 8) & 0xff : words[Math.min(i, words.length - 1)]! & 0xff;
    return out;
  }) as [Uint8Array, Uint8Array, Uint8Array];
  // The first mapped value is US, or SS when the pixels are signed (PS3.3 C.7.6.3.1.5).
  const firstMapped = signedPixels ? dataSet.int16(CHANNELS[0].descriptor, 1)! : dataSet.uint16(CHANNELS[0].descriptor, 1)!;
  return { firstMapped, red, green, blue };
}

/** A LUT data element as numbers: bytes when 8-bit entries are packed one per byte, else 16-bit words. */
function wordsOf(dataSet: DataSet, tag: string, entries: number, bits: number): number[] {
  const element = dataSet.elements[tag]!;
  if (bits === 8 && element.length === entries) return Array.from(dataSet.byteArray.subarray(element.dataOffset, element.dataOffset + entries));
  return Array.from({ length: element.length >> 1 }, (_, i) => dataSet.uint16(tag, i)!);
}

/** Segmented LUT data expanded (PS3.3 C.7.9.2): discrete segments copied, linear ones interpolated from the last value. */
function expandSegments(data: number[], entries: number): number[] {
  const out: number[] = [];
  let at = 0;
  while (at < data.length && out.length < entries) {
    const [opcode, length] = [data[at]!, data[at + 1]!];
    if (opcode === 0) {
      out.push(...data.slice(at + 2, at + 2 + length));
      at += 2 + length;
    } else if (opcode === 1) {
      if (out.length === 0) throw new Error('A segmented palette starts with a linear segment.');
      const [from, to] = [out.at(-1)!, data[at + 2]!];
      for (let i = 1; i <= length; i++) out.push(Math.round(from + ((to - from) * i) / length));
      at += 3;
    } else {
      throw new Error(opcode === 2 ? 'Segmented palettes with indirect segments are not read on the server.' : `Unknown palette segment type ${opcode}.`);
    }
  }
  return out;
}

/** Palette indices (8- or 16-bit samples) to interleaved RGB; indices outside the table take its first or last entry. */
export function paletteToRgb(samples: Buffer, count: number, bitsAllocated: number, signed: boolean, palette: Palette): Uint8Array {
  const rgb = new Uint8Array(count * 3);
  const last = palette.red.length - 1;
  for (let p = 0; p < count; p++) {
    const value = bitsAllocated === 16 ? (signed ? samples.readInt16LE(2 * p) : samples.readUInt16LE(2 * p)) : signed ? (samples[p]! << 24) >> 24 : samples[p]!;
    const i = Math.max(0, Math.min(last, value - palette.firstMapped));
    rgb[3 * p] = palette.red[i]!;
    rgb[3 * p + 1] = palette.green[i]!;
    rgb[3 * p + 2] = palette.blue[i]!;
  }
  return rgb;
}
