/**
 * The frames COCO's boxes and polygons are drawn on, from real DICOM bytes: greyscale windowed to 8
 * bits, colour kept in colour (JPEG YCbCr, 16-bit RLE RGB, H.264 video decoded by ffmpeg), and a
 * corrupt codestream reported as the reason its regions are skipped.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cocoFrames, frameKey, type CocoFrame } from '@/lib/datasets/export/coco-frames';
import { bufferSource } from '@/lib/dicom/byte-source';
import { readDicomHeader } from '@/lib/dicom/read-header';
import { syntheticCtSeries } from '@/lib/dicom/synthetic-ct';
import { brokenCodestreamFile } from '../helpers/broken-codestream';
import { decodePng } from '../helpers/decode-png';
import { sample } from '../helpers/dicom-samples';
import { FRAME_COLOURS, videoFile } from '../helpers/video-files';

const sopOf = async (bytes: Uint8Array) => (await readDicomHeader(bufferSource(bytes))).sopInstanceUid;
const pngOf = (frame: CocoFrame | string | undefined) => {
  if (frame === undefined || typeof frame === 'string') throw new Error(`no frame: ${frame}`);
  return decodePng(frame.png());
};
const rgbAt = (png: ReturnType<typeof decodePng>, x: number, y: number) => [...png.pixels.subarray(3 * (y * png.width + x), 3 * (y * png.width + x) + 3)];
const near = (actual: number[], expected: readonly number[], tolerance: number) => actual.every((v, i) => Math.abs(v - expected[i]!) <= tolerance);

describe('COCO frames', () => {
  it('greyscale as 8-bit grey; JPEG, RLE and video colour as RGB; a corrupt codestream as its reason', async () => {
    const [ct] = syntheticCtSeries({ slices: 1 });
    const jpeg = new Uint8Array(readFileSync(sample('valid/pydicom/SC_rgb_jpeg_dcmtk.dcm')));
    const rle = new Uint8Array(readFileSync(sample('valid/pydicom/SC_rgb_rle_16bit_2frame.dcm')));
    const video = videoFile({ codec: 'h264', studyDescription: 'COCO video' });
    const broken = brokenCodestreamFile('COCO broken');
    const [ctSop, jpegSop, rleSop, videoSop, brokenSop] = await Promise.all([ct!, jpeg, rle, video, broken].map(sopOf));
    const frames = await cocoFrames(
      [ct!, jpeg, rle, video, broken],
      [
        { sopInstanceUid: ctSop!, frame: 1 },
        { sopInstanceUid: jpegSop!, frame: 1 },
        { sopInstanceUid: rleSop!, frame: 2 },
        { sopInstanceUid: videoSop!, frame: 3 },
        { sopInstanceUid: videoSop!, frame: 6 },
        { sopInstanceUid: brokenSop!, frame: 1 },
      ],
    );
    const grey = pngOf(frames.get(frameKey(ctSop!, 1)));
    expect([grey.width, grey.height, grey.channels]).toEqual([512, 512, 1]);
    expect(new Set(grey.pixels).size).toBeGreaterThan(16);

    // pydicom's SC_rgb bands: red at the top; the RLE file's second frame is the first inverted.
    const colour = pngOf(frames.get(frameKey(jpegSop!, 1)));
    expect([colour.width, colour.height, colour.channels]).toEqual([100, 100, 3]);
    expect(near(rgbAt(colour, 50, 5), [255, 0, 0], 6)).toBe(true);
    expect(near(rgbAt(colour, 50, 25), [0, 255, 0], 6)).toBe(true);
    expect(rgbAt(pngOf(frames.get(frameKey(rleSop!, 2))), 50, 5)).toEqual([0, 255, 255]);

    for (const n of [3, 6]) {
      const frame = pngOf(frames.get(frameKey(videoSop!, n)));
      expect([frame.width, frame.height, frame.channels]).toEqual([64, 48, 3]);
      expect(near(rgbAt(frame, 32, 24), FRAME_COLOURS[n - 1]!, 8), `video frame ${n}`).toBe(true);
    }
    expect(frames.get(frameKey(brokenSop!, 1))).toMatch(/could not be decoded/);
  });
});
