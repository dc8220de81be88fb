import { isVideo } from '@/lib/dicom/video-syntaxes.client';

/**
 * Frames the browser cannot decode but Cohort's server can (lib/dicom/codecs): JPEG 2000 Part 2
 * (multi-component), for which Cornerstone's image loader has no decoder although OpenJPEG reads
 * it, video (MPEG-2, H.264, HEVC), whose frames are one stream the server decodes with ffmpeg, and
 * JPIP-referenced images, whose pixels the server fetches from their JPIP server.
 * Their frames are asked for as explicit VR little endian, which the server decodes them to;
 * every other frame comes as stored and is decoded in the browser's workers.
 */
const J2K_PART_2_OR_JPIP = new Set(['1.2.840.10008.1.2.4.92', '1.2.840.10008.1.2.4.93', '1.2.840.10008.1.2.4.94', '1.2.840.10008.1.2.4.95', '1.2.840.10008.1.2.4.204', '1.2.840.10008.1.2.4.205']);
const EXPLICIT_VR_LITTLE_ENDIAN_FRAMES = { Accept: 'multipart/related; type="application/octet-stream"; transfer-syntax=1.2.840.10008.1.2.1' };

const frameUrls = new Set<string>();
const urlOf = (imageId: string) => imageId.replace(/^wadors:/, '');
const decodedOnServer = (transferSyntaxUid: string | undefined) => !!transferSyntaxUid && (J2K_PART_2_OR_JPIP.has(transferSyntaxUid) || isVideo(transferSyntaxUid));

type InstanceMetadata = Record<string, { vr?: string; Value?: unknown[] } | undefined>;

/**
 * Notes an image's stored transfer syntax (its metadata's Available Transfer Syntax UID), and gives
 * the metadata the loader should read for its frames: a video's YBR_PARTIAL_420 exists only in the
 * stream; decoded, its frames are interleaved RGB.
 */
export function noteTransferSyntax<M extends InstanceMetadata>(imageId: string, instance: M): M {
  const transferSyntaxUid = instance['00083002']?.Value?.[0] as string | undefined;
  if (!decodedOnServer(transferSyntaxUid)) return instance;
  frameUrls.add(urlOf(imageId));
  if (!isVideo(transferSyntaxUid!)) return instance;
  return { ...instance, '00280004': { vr: 'CS', Value: ['RGB'] }, '00280006': { vr: 'US', Value: [0] } };
}

/** The request headers the image loader's beforeSend gives a frame request: explicit little endian where the server decodes. */
export function frameRequestHeaders(imageIdOrUrl: string): Record<string, string> | undefined {
  return frameUrls.has(urlOf(imageIdOrUrl)) ? EXPLICIT_VR_LITTLE_ENDIAN_FRAMES : undefined;
}
