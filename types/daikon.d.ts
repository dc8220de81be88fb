/** The little of daikon Cohort uses: pdf.js's JPEG decoder as daikon ships it, for 12-bit JPEG (lib/dicom/codecs/js-jpeg-decoders.ts). */
declare module 'daikon/lib/jpeg-baseline.js' {
  export class JpegImage {
    parse(data: Uint8Array): void;
    width: number;
    height: number;
    components: unknown[];
    getData16(width: number, height: number): Uint16Array;
  }
}
