/**
 * An Adobe APP14 segment saying "no colour transform" (transform 0): length 14, "Adobe", version
 * 100, two flag words, transform.
 */
const ADOBE_NO_TRANSFORM = Buffer.from([0xff, 0xee, 0x00, 0x0e, 0x41, 0x64, 0x6f, 0x62, 0x65, 0x00, 0x64, 0x00, 0x00, 0x00, 0x00, 0x00]);

/**
 * A three-component JPEG labelled RGB in DICOM holds RGB (PS3.5 §8.2.1): not YCbCr. libjpeg guesses
 * YCbCr for three components unless a JFIF or Adobe marker (or R, G, B component IDs) says
 * otherwise, and would convert them. Given a codestream with neither marker, this returns it with an
 * Adobe marker saying "no transform" after SOI, so the decoder leaves the samples as they are (as
 * DCMTK does); any other codestream is returned unchanged.
 */
export function markUntransformedRgb(jpeg: Uint8Array): Uint8Array {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) return jpeg;
  let at = 2;
  while (at + 4 <= jpeg.length && jpeg[at] === 0xff) {
    const marker = jpeg[at + 1]!;
    // Start of frame or of scan: the colour space has been settled by now, or never will be.
    if ((marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) || marker === 0xda) break;
    const id = Buffer.from(jpeg.subarray(at + 4, at + 9)).toString('latin1');
    if ((marker === 0xe0 && id.startsWith('JFIF')) || (marker === 0xee && id === 'Adobe')) return jpeg;
    at += 2 + ((jpeg[at + 2]! << 8) | jpeg[at + 3]!);
  }
  return Buffer.concat([jpeg.subarray(0, 2), ADOBE_NO_TRANSFORM, jpeg.subarray(2)]);
}
