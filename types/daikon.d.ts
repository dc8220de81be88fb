/** The little of daikon Cohort uses: parsing a file and decoding its compressed pixels (lib/dicom/frame-pixels.ts). */
declare module 'daikon' {
  interface Image {
    /** Pixel Data, decompressed when it was compressed (every frame). */
    getRawData(): ArrayBuffer;
  }
  const daikon: {
    Series: { parseImage(data: DataView): Image | null };
  };
  export default daikon;
}
