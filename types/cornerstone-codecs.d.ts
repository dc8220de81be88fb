/**
 * Cornerstone3D's WebAssembly codec modules (lib/dicom/codecs/wasm-modules.ts): each default export
 * is an Emscripten factory; wasm-modules.ts says what the module it resolves to holds.
 */
declare module '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs' {
  const factory: unknown;
  export default factory;
}
declare module '@cornerstonejs/codec-libjpeg-turbo-8bit/wasmjs' {
  const factory: unknown;
  export default factory;
}
declare module '@cornerstonejs/codec-charls/decodewasmjs' {
  const factory: unknown;
  export default factory;
}
declare module '@cornerstonejs/codec-openjpeg/decodewasmjs' {
  const factory: unknown;
  export default factory;
}
declare module '@cornerstonejs/codec-openjph/wasmjs' {
  const factory: unknown;
  export default factory;
}
// The full modules, with the encoders (tests encode frames with them).
declare module '@cornerstonejs/codec-charls/wasmjs' {
  const factory: unknown;
  export default factory;
}
declare module '@cornerstonejs/codec-openjpeg/wasmjs' {
  const factory: unknown;
  export default factory;
}
declare module '@cornerstonejs/codec-libjxl/encodewasmjs' {
  const factory: unknown;
  export default factory;
}
