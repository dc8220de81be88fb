/**
 * The WebAssembly codec modules of Cornerstone3D (the decoders its image loader runs in the browser,
 * and libjpeg-turbo's encoder), loaded in Node. Imported with literal specifiers so the server build
 * leaves them to Node (serverExternalPackages): the glue is CommonJS and reads its .wasm from its
 * own directory.
 */
const MODULES = {
  'libjpeg-turbo': () => import('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs'),
  'libjpeg-turbo-encoder': () => import('@cornerstonejs/codec-libjpeg-turbo-8bit/wasmjs'),
  charls: () => import('@cornerstonejs/codec-charls/decodewasmjs'),
  openjpeg: () => import('@cornerstonejs/codec-openjpeg/decodewasmjs'),
  openjph: () => import('@cornerstonejs/codec-openjph/wasmjs'),
} satisfies Record<string, () => Promise<{ default: unknown }>>;

export type WasmModuleName = keyof typeof MODULES;
/** An Emscripten module: its embind classes by name, and what it says of a C++ exception. */
export type WasmModule = Record<string, new () => unknown> & { getExceptionMessage?(pointer: number): string | string[] };
type Factory = (overrides: { print(text: string): void; printErr(text: string): void }) => Promise<WasmModule>;

const loaded = new Map<WasmModuleName, Promise<WasmModule>>();

/** A module, instantiated once on first use (most installations never need most of them). */
export function wasmModule(name: WasmModuleName): Promise<WasmModule> {
  let pending = loaded.get(name);
  if (!pending) {
    // OpenJPEG reports every header it reads on stdout; errors surface as exceptions.
    pending = MODULES[name]().then(({ default: factory }) => (factory as Factory)({ print() {}, printErr() {} }));
    pending.catch(() => loaded.delete(name));
    loaded.set(name, pending);
  }
  return pending;
}

/** An Emscripten exception (a pointer into the module's memory) or an Error, as an Error with the codec's words. */
export function codecError(module: WasmModule, err: unknown, fallback: string): Error {
  if (typeof err !== 'number') return err instanceof Error ? err : new Error(String(err));
  const message = module.getExceptionMessage?.(err);
  return new Error(Array.isArray(message) ? message.filter(Boolean).join(': ') : (message ?? fallback));
}
