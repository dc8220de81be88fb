import { codecError, wasmModule } from './wasm-modules';

/** The WebAssembly decoders Cornerstone3D's image loader uses in the browser, run here in Node. */
export type WasmCodec = 'libjpeg-turbo' | 'charls' | 'openjpeg' | 'openjph';

/** What a codec says of the frame it decoded; samples are little endian, interleaved unless `planar`. */
export type WasmDecoded = {
  width: number;
  height: number;
  bitsPerSample: number;
  components: number;
  /** The decoded components are in planes (JPEG-LS coded without interleaving). */
  planar: boolean;
  samples: Buffer;
};

type FrameInfo = { width: number; height: number; bitsPerSample: number; componentCount: number };
type EmbindDecoder = {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  decodeSubResolution?(level: number): void;
  getFrameInfo(): FrameInfo;
  getDecodedBuffer(): Uint8Array;
  getInterleaveMode?(): number;
  delete(): void;
};

const DECODER_CLASS: Record<WasmCodec, string> = { 'libjpeg-turbo': 'JPEGDecoder', charls: 'JpegLSDecoder', openjpeg: 'J2KDecoder', openjph: 'HTJ2KDecoder' };

/** Decodes one frame's codestream; the samples are copied out of the codec's memory. */
export async function decodeWithWasm(codec: WasmCodec, encoded: Uint8Array): Promise<WasmDecoded> {
  const codecModule = await wasmModule(codec);
  const decoder = new codecModule[DECODER_CLASS[codec]]!() as EmbindDecoder;
  try {
    decoder.getEncodedBuffer(encoded.length).set(encoded);
    // Decoding is synchronous inside the module, so one module serves every request in turn.
    if (codec === 'openjph') decoder.decodeSubResolution!(0);
    else decoder.decode();
    const info = decoder.getFrameInfo();
    return {
      width: info.width,
      height: info.height,
      bitsPerSample: info.bitsPerSample,
      components: info.componentCount,
      planar: codec === 'charls' && info.componentCount > 1 && decoder.getInterleaveMode!() === 0,
      samples: Buffer.from(decoder.getDecodedBuffer()),
    };
  } catch (err) {
    throw codecError(codecModule, err, `${codec} could not decode the frame`);
  } finally {
    decoder.delete();
  }
}
