import { inflateRawSync } from 'node:zlib';
import { decodeRle } from './decode-rle';
import { isVideo } from '../video-syntaxes.client';
import { markUntransformedRgb } from './jpeg-colour-marker';
import { decodeJpeg12Bit, decodeJpegLossless } from './js-jpeg-decoders';
import { decodeWithWasm, type WasmCodec } from './wasm-decoder';

/** What decoding a frame needs from the instance's header. */
export type FrameHeader = {
  transferSyntaxUid: string;
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  photometricInterpretation: string;
  /** 0: samples interleaved, 1: in planes; the layout the decoded frame is given in. */
  planarConfiguration: number;
};

/** A decoded frame: native little-endian samples, and the colour space they are in. */
export type DecodedFrame = {
  samples: Buffer;
  /**
   * The header's Photometric Interpretation, except where the codec converts colour: JPEG's YCbCr
   * and JPEG 2000's component transforms (YBR_RCT, YBR_ICT) come out as RGB (PS3.5 §8.2).
   */
  photometricInterpretation: string;
};

type Decoder = { decode(frame: Uint8Array, header: FrameHeader): Promise<Decoded> | Decoded; convertsColour?: (photometric: string) => boolean };
type Decoded = { samples: Buffer; bytesPerSample: number; components: number; planar: boolean; width?: number; height?: number };

const wasm = (codec: WasmCodec, convertsColour?: Decoder['convertsColour']): Decoder => ({
  async decode(frame) {
    const d = await decodeWithWasm(codec, frame);
    return { samples: d.samples, bytesPerSample: d.samples.length / (d.width * d.height * d.components), components: d.components, planar: d.planar, width: d.width, height: d.height };
  },
  convertsColour,
});

/** libjpeg converts YCbCr to RGB; an RGB-labelled JPEG (no transform) stays as it is. */
const jpegColour = (photometric: string) => photometric.startsWith('YBR');
/** JPEG 2000's reversible and irreversible component transforms are undone by the decoder. */
const j2kColour = (photometric: string) => photometric === 'YBR_RCT' || photometric === 'YBR_ICT';

const JPEG_8_OR_12_BIT: Decoder = {
  async decode(frame, header) {
    if (header.bitsAllocated > 8) {
      const { samples, bytesPerSample } = await decodeJpeg12Bit(frame);
      return { samples, bytesPerSample, components: 1, planar: false };
    }
    return wasm('libjpeg-turbo').decode(header.photometricInterpretation === 'RGB' ? markUntransformedRgb(frame) : frame, header);
  },
  convertsColour: jpegColour,
};

const JPEG_LOSSLESS: Decoder = {
  decode(frame, header) {
    const { samples, bytesPerSample } = decodeJpegLossless(frame, header.bitsAllocated);
    return { samples, bytesPerSample, components: header.samplesPerPixel, planar: false };
  },
};

const RLE: Decoder = {
  decode(frame, header) {
    // Decoded straight into the header's layout.
    return { samples: decodeRle(frame, header), bytesPerSample: header.bitsAllocated / 8, components: header.samplesPerPixel, planar: header.planarConfiguration === 1 };
  },
};

/** A frame that is already native, inside a fragment. */
const ENCAPSULATED_NATIVE: Decoder = {
  decode(frame, header) {
    return { samples: Buffer.from(frame), bytesPerSample: header.bitsAllocated / 8, components: header.samplesPerPixel, planar: header.planarConfiguration === 1 };
  },
};

const DEFLATED_FRAME: Decoder = {
  decode(frame, header) {
    return { samples: inflateRawSync(frame), bytesPerSample: header.bitsAllocated / 8, components: header.samplesPerPixel, planar: header.planarConfiguration === 1 };
  },
};

const DECODERS = new Map<string, Decoder>([
  ['1.2.840.10008.1.2.1.98', ENCAPSULATED_NATIVE],
  ['1.2.840.10008.1.2.4.50', JPEG_8_OR_12_BIT],
  ['1.2.840.10008.1.2.4.51', JPEG_8_OR_12_BIT],
  ['1.2.840.10008.1.2.4.57', JPEG_LOSSLESS],
  ['1.2.840.10008.1.2.4.70', JPEG_LOSSLESS],
  ['1.2.840.10008.1.2.4.80', wasm('charls')],
  ['1.2.840.10008.1.2.4.81', wasm('charls')],
  ['1.2.840.10008.1.2.4.90', wasm('openjpeg', j2kColour)],
  ['1.2.840.10008.1.2.4.91', wasm('openjpeg', j2kColour)],
  // Part 2 multi-component: OpenJPEG also decodes the array-based component transforms (MCT, MCC, MCO markers) these syntaxes are for.
  ['1.2.840.10008.1.2.4.92', wasm('openjpeg', j2kColour)],
  ['1.2.840.10008.1.2.4.93', wasm('openjpeg', j2kColour)],
  ['1.2.840.10008.1.2.4.201', wasm('openjph', j2kColour)],
  ['1.2.840.10008.1.2.4.202', wasm('openjph', j2kColour)],
  ['1.2.840.10008.1.2.4.203', wasm('openjph', j2kColour)],
  ['1.2.840.10008.1.2.5', RLE],
  ['1.2.840.10008.1.2.8.1', DEFLATED_FRAME],
]);

/** Whether decodeFrame reads this transfer syntax. */
export function hasDecoder(transferSyntaxUid: string): boolean {
  return DECODERS.has(transferSyntaxUid);
}

/**
 * The colour space a frame decodes to, for a header's: different only where the codec converts
 * colour, and for video, whose YBR_PARTIAL_420 exists only compressed (decode-video.ts).
 */
export function decodedPhotometric(transferSyntaxUid: string, photometric: string): string {
  return isVideo(transferSyntaxUid) || DECODERS.get(transferSyntaxUid)?.convertsColour?.(photometric) ? 'RGB' : photometric;
}

/**
 * One frame's codestream decoded to native samples in the header's layout: little endian, as many
 * bytes per sample as Bits Allocated says, interleaved or in planes as Planar Configuration says.
 * Throws (with the codec's reason) when the codestream is corrupt or does not match the header.
 */
export async function decodeFrame(frame: Uint8Array, header: FrameHeader): Promise<DecodedFrame> {
  const decoder = DECODERS.get(header.transferSyntaxUid);
  if (!decoder) throw new Error(`No decoder for transfer syntax ${header.transferSyntaxUid}.`);
  let decoded: Decoded;
  try {
    decoded = await decoder.decode(frame, header);
  } catch (err) {
    // Some decoders throw strings.
    throw new Error(err instanceof Error ? err.message : String(err));
  }
  const { rows, columns, samplesPerPixel, bitsAllocated, planarConfiguration } = header;
  if (decoded.width === 0 || decoded.height === 0 || decoded.samples.length === 0) throw new Error('The codestream holds no image.');
  if ((decoded.width ?? columns) !== columns || (decoded.height ?? rows) !== rows || decoded.components !== samplesPerPixel) {
    throw new Error(`The codestream holds ${decoded.width}×${decoded.height} pixels of ${decoded.components} samples; the header says ${columns}×${rows} of ${samplesPerPixel}.`);
  }
  const pixels = rows * columns;
  const photometricInterpretation = decodedPhotometric(header.transferSyntaxUid, header.photometricInterpretation);
  let samples = decoded.samples;
  if (bitsAllocated === 1) {
    // Bit-packed frames (segmentations) only come out of the uncompressed and deflated forms.
    const bytes = Math.ceil((pixels * samplesPerPixel) / 8);
    if (samples.length < bytes) throw new Error('The frame holds fewer bits than the header says.');
    return { samples: samples.subarray(0, bytes), photometricInterpretation };
  }
  const bytesPerSample = Math.ceil(bitsAllocated / 8);
  if (samples.length < pixels * samplesPerPixel * decoded.bytesPerSample) throw new Error('The codestream decoded to fewer samples than the header says.');
  if (decoded.bytesPerSample !== bytesPerSample) samples = widen(samples, pixels * samplesPerPixel, decoded.bytesPerSample, bytesPerSample);
  if (samplesPerPixel > 1 && decoded.planar !== (planarConfiguration === 1)) samples = relayout(samples, pixels, samplesPerPixel, bytesPerSample, decoded.planar);
  return {
    samples: samples.length === pixels * samplesPerPixel * bytesPerSample ? samples : samples.subarray(0, pixels * samplesPerPixel * bytesPerSample),
    photometricInterpretation,
  };
}

/** 8-bit samples in a 16-bit (or wider) allocation, as codecs give samples of 8 bits or fewer. */
function widen(samples: Buffer, count: number, from: number, to: number): Buffer {
  if (from !== 1 || (to !== 2 && to !== 4)) throw new Error(`The codestream's ${from * 8}-bit samples do not fit the header's ${to * 8}-bit allocation.`);
  const out = Buffer.alloc(count * to);
  for (let i = 0; i < count; i++) out[i * to] = samples[i]!;
  return out;
}

/** Interleaved samples into planes, or planes into interleaved samples. */
function relayout(samples: Buffer, pixels: number, components: number, bytes: number, fromPlanar: boolean): Buffer {
  const out = Buffer.alloc(pixels * components * bytes);
  for (let p = 0; p < pixels; p++) {
    for (let c = 0; c < components; c++) {
      const planar = (c * pixels + p) * bytes;
      const interleaved = (p * components + c) * bytes;
      const [from, to] = fromPlanar ? [planar, interleaved] : [interleaved, planar];
      samples.copy(out, to, from, from + bytes);
    }
  }
  return out;
}
