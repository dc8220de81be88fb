import { Decoder as LosslessDecoder } from '@cornerstonejs/jpeg-lossless-decoder-js';

/** What a JavaScript JPEG decoder gives: samples little endian, interleaved, `bytesPerSample` each. */
export type JsDecoded = { samples: Buffer; bytesPerSample: 1 | 2 };

/**
 * JPEG lossless (processes 14 and 14 SV1) with the decoder Cornerstone3D's loader uses. Samples of
 * up to 8 bits come out as bytes, wider ones as 16-bit words.
 */
export function decodeJpegLossless(encoded: Uint8Array, bitsAllocated: number): JsDecoded {
  const bytesPerSample = bitsAllocated <= 8 ? 1 : 2;
  const decoded = new LosslessDecoder().decode(encoded.buffer as ArrayBuffer, encoded.byteOffset, encoded.length, bytesPerSample);
  return { samples: Buffer.from(decoded.buffer, decoded.byteOffset, decoded.byteLength), bytesPerSample };
}

/**
 * 12-bit JPEG extended (process 4), which libjpeg-turbo's 8-bit build cannot read: pdf.js's JPEG
 * decoder as daikon ships it (grayscale only, as that decoder's 16-bit path is), the same code
 * Cornerstone's viewer runs. It level-shifts 12-bit samples by 2063.5 instead of 2048, so its pixels
 * are about 15 counts above DCMTK's (measured in tests/integration/dicomweb-vs-orthanc.test.ts).
 */
export async function decodeJpeg12Bit(encoded: Uint8Array): Promise<JsDecoded> {
  // Loaded on first use, by Node (daikon is a server-external package).
  const { JpegImage } = await import('daikon/lib/jpeg-baseline.js');
  const jpeg = new JpegImage();
  jpeg.parse(encoded);
  if (jpeg.components.length !== 1) throw new Error('12-bit colour JPEG is not decoded on the server.');
  const decoded = jpeg.getData16(jpeg.width, jpeg.height);
  return { samples: Buffer.from(decoded.buffer, decoded.byteOffset, decoded.byteLength), bytesPerSample: 2 };
}
