/**
 * The video transfer syntaxes (PS3.5 §8.2.5–8.2.8, §8.2.11) and the elementary stream each holds.
 * Their Pixel Data is one stream for every frame: browsers get the frames decoded by the server.
 */
export const VIDEO_STREAM_FORMATS: ReadonlyMap<string, 'mpegvideo' | 'h264' | 'hevc'> = new Map([
  ['1.2.840.10008.1.2.4.100', 'mpegvideo'],
  ['1.2.840.10008.1.2.4.101', 'mpegvideo'],
  ['1.2.840.10008.1.2.4.102', 'h264'],
  ['1.2.840.10008.1.2.4.103', 'h264'],
  ['1.2.840.10008.1.2.4.104', 'h264'],
  ['1.2.840.10008.1.2.4.105', 'h264'],
  ['1.2.840.10008.1.2.4.106', 'h264'],
  ['1.2.840.10008.1.2.4.107', 'hevc'],
  ['1.2.840.10008.1.2.4.108', 'hevc'],
]);

export function isVideo(transferSyntaxUid: string): boolean {
  return VIDEO_STREAM_FORMATS.has(transferSyntaxUid);
}
