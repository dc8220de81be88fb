import { codecError, wasmModule } from '@/lib/dicom/codecs/wasm-modules';

type EmbindEncoder = {
  getDecodedBuffer(frame: { width: number; height: number; bitsPerSample: number; componentCount: number; isSigned: boolean }): Uint8Array;
  setProgressive(progressive: number): void;
  setQuality(quality: number): void;
  encode(): void;
  getEncodedBuffer(): Uint8Array;
  delete(): void;
};

/**
 * A baseline JPEG (8-bit grayscale or RGB, 4:4:4) from raw pixels, row after row, with
 * libjpeg-turbo's encoder (WebAssembly): WADO-RS rendered images for clients that ask for JPEG.
 * `quality` is libjpeg's 1–100.
 */
export async function encodeJpeg(pixels: Uint8Array, width: number, height: number, channels: 1 | 3, quality = 90): Promise<Buffer> {
  if (pixels.length !== width * height * channels) throw new RangeError(`expected ${width * height * channels} bytes of pixels, got ${pixels.length}`);
  const codecModule = await wasmModule('libjpeg-turbo-encoder');
  const encoder = new codecModule.JPEGEncoder!() as EmbindEncoder;
  try {
    encoder.getDecodedBuffer({ width, height, bitsPerSample: 8, componentCount: channels, isSigned: false }).set(pixels);
    // Baseline, not the module's default progressive: every DICOM and web client reads baseline.
    encoder.setProgressive(0);
    encoder.setQuality(quality);
    encoder.encode();
    return Buffer.from(encoder.getEncodedBuffer());
  } catch (err) {
    throw codecError(codecModule, err, 'libjpeg-turbo could not encode the image');
  } finally {
    encoder.delete();
  }
}
