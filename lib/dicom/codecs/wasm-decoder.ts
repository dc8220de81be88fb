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
type CodecModule = Record<string, new () => EmbindDecoder> & { getExceptionMessage?(pointer: number): string | string[] };
type CodecFactory = (overrides: { print(text: string): void; printErr(text: string): void }) => Promise<CodecModule>;

/**
 * Each codec's Emscripten factory and decoder class. Imported with literal specifiers so the server
 * build leaves them to Node (serverExternalPackages): the glue is CommonJS and reads its .wasm from
 * its own directory.
 */
const CODECS: Record<WasmCodec, { load: () => Promise<{ default: unknown }>; decoder: string }> = {
  'libjpeg-turbo': { load: () => import('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs'), decoder: 'JPEGDecoder' },
  charls: { load: () => import('@cornerstonejs/codec-charls/decodewasmjs'), decoder: 'JpegLSDecoder' },
  openjpeg: { load: () => import('@cornerstonejs/codec-openjpeg/decodewasmjs'), decoder: 'J2KDecoder' },
  openjph: { load: () => import('@cornerstonejs/codec-openjph/wasmjs'), decoder: 'HTJ2KDecoder' },
};

const loaded = new Map<WasmCodec, Promise<CodecModule>>();

/** Each codec is instantiated once, on first use (most installations store native images). */
function codecModule(codec: WasmCodec): Promise<CodecModule> {
  let pending = loaded.get(codec);
  if (!pending) {
    // OpenJPEG reports every header it reads on stdout; decoding errors surface as exceptions.
    pending = CODECS[codec].load().then(({ default: factory }) => (factory as CodecFactory)({ print() {}, printErr() {} }));
    pending.catch(() => loaded.delete(codec));
    loaded.set(codec, pending);
  }
  return pending;
}

/** Decodes one frame's codestream; the samples are copied out of the codec's memory. */
export async function decodeWithWasm(codec: WasmCodec, encoded: Uint8Array): Promise<WasmDecoded> {
  const codecs = await codecModule(codec);
  const decoder = new codecs[CODECS[codec].decoder]!();
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
    // Emscripten throws C++ exceptions as pointers into the module's memory.
    if (typeof err !== 'number') throw err instanceof Error ? err : new Error(String(err));
    const message = codecs.getExceptionMessage?.(err);
    throw new Error(Array.isArray(message) ? message.filter(Boolean).join(': ') : (message ?? `${codec} could not decode the frame`));
  } finally {
    decoder.delete();
  }
}
