/**
 * The Emscripten factories of Cornerstone3D's WebAssembly decoders (lib/dicom/codecs/wasm-decoder.ts):
 * each resolves to a module whose decoder classes are named in that file.
 */
type CornerstoneCodecFactory = (overrides: { print(text: string): void; printErr(text: string): void }) => Promise<Record<string, unknown>>;

declare module '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs' {
  const factory: CornerstoneCodecFactory;
  export default factory;
}
declare module '@cornerstonejs/codec-charls/decodewasmjs' {
  const factory: CornerstoneCodecFactory;
  export default factory;
}
declare module '@cornerstonejs/codec-openjpeg/decodewasmjs' {
  const factory: CornerstoneCodecFactory;
  export default factory;
}
declare module '@cornerstonejs/codec-openjph/wasmjs' {
  const factory: CornerstoneCodecFactory;
  export default factory;
}
