/**
 * Frames the browser cannot decode but Cohort's server can (lib/dicom/codecs): JPEG 2000 Part 2
 * (multi-component), for which Cornerstone's image loader has no decoder although OpenJPEG reads
 * it. Their frames are asked for as explicit VR little endian, which the server decodes them to;
 * every other frame comes as stored and is decoded in the browser's workers.
 */
const DECODED_ON_SERVER = new Set(['1.2.840.10008.1.2.4.92', '1.2.840.10008.1.2.4.93']);
const EXPLICIT_VR_LITTLE_ENDIAN_FRAMES = { Accept: 'multipart/related; type="application/octet-stream"; transfer-syntax=1.2.840.10008.1.2.1' };

const frameUrls = new Set<string>();
const urlOf = (imageId: string) => imageId.replace(/^wadors:/, '');

/** Notes an image's stored transfer syntax (its metadata's Available Transfer Syntax UID). */
export function noteTransferSyntax(imageId: string, transferSyntaxUid: string | undefined): void {
  if (transferSyntaxUid && DECODED_ON_SERVER.has(transferSyntaxUid)) frameUrls.add(urlOf(imageId));
}

/** The request headers the image loader's beforeSend gives a frame request: explicit little endian where the server decodes. */
export function frameRequestHeaders(imageIdOrUrl: string): Record<string, string> | undefined {
  return frameUrls.has(urlOf(imageIdOrUrl)) ? EXPLICIT_VR_LITTLE_ENDIAN_FRAMES : undefined;
}
