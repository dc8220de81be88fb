import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import { getDb } from '@/lib/db/client';
import { isVideo } from '@/lib/dicom/video-syntaxes.client';
import { framePixels } from '@/lib/dicom/frame-pixels';
import { encapsulatedFrames } from '@/lib/dicom/encapsulated-frames';
import { isJpipReferenced } from '@/lib/dicom/jpip-referenced';
import { readNativeFrame } from '@/lib/dicom/read-native-frame';
import { EXPLICIT_VR_LITTLE_ENDIAN, isNativeOnDisk, transferSyntaxOf } from '@/lib/dicom/transfer-syntaxes';
import { AppError } from '@/lib/errors/app-error';
import { getBlobStore } from '@/lib/storage/get-blob-store';
import { contentTypeParameter } from './multipart';

export type FramesRequest = { study: string; series: string; instance: string; frames: number[]; accept: string | null };

/**
 * WADO-RS RetrieveFrames (PS3.18 §10.4.1.1.4): the pixel data of the asked frames, one part each,
 * as stored (compressed ones as their fragments) or, when the client asks for explicit VR little
 * endian, converted to it: big endian byte-swapped, compressed frames decoded (lib/dicom/codecs),
 * except colour a codec turns into RGB where the header says YBR. Frames of a deflated file are
 * inflated: explicit VR little endian is the only form they have. So are a video's frames decoded
 * (to RGB): its stream is not cut into frames; and a JPIP-referenced image's, fetched from its JPIP
 * server (lib/dicom/jpip-referenced.ts). Any other transfer syntax is 406: Cohort never encodes.
 */
export async function retrieveFrames({ study, series, instance, frames, accept }: FramesRequest): Promise<Response> {
  const row = await getDb().instance.findFirst({
    where: { sopInstanceUid: instance, series: { seriesInstanceUid: series, study: { studyInstanceUid: study } } },
  });
  if (!row) throw new AppError('NOT_FOUND', 'No such instance.');
  const jpip = isJpipReferenced(row.transferSyntaxUid);
  if (row.pixelDataOffset === null && !jpip) throw new AppError('NOT_FOUND', 'This instance has no pixel data.');
  const bad = frames.find((n) => !Number.isInteger(n) || n < 1 || n > row.frames);
  if (bad !== undefined || frames.length === 0) throw new AppError('BAD_REQUEST', `Frames are numbered 1 to ${row.frames}.`);

  const deflated = transferSyntaxOf(row.transferSyntaxUid)?.deflated === true;
  const video = isVideo(row.transferSyntaxUid);
  // Inflated, a deflated file's frames are explicit VR little endian; a JPIP-referenced one has none stored.
  const stored = deflated && !jpip ? EXPLICIT_VR_LITTLE_ENDIAN : row.transferSyntaxUid;
  const wanted = requestedTransferSyntax(accept) ?? (video || jpip ? EXPLICIT_VR_LITTLE_ENDIAN : stored);
  const convert = wanted !== stored;
  if (video && !convert) {
    throw new AppError('NOT_ACCEPTABLE', `This video (${transferSyntaxOf(stored)?.name}) is one stream, not frames one by one: its frames come decoded, as explicit VR little endian, or the whole stream with the instance.`);
  }
  if (jpip && !convert) {
    throw new AppError('NOT_ACCEPTABLE', `This image's pixels are on its JPIP server, not in its file: they come decoded, as explicit VR little endian.`);
  }
  if (convert && wanted !== EXPLICIT_VR_LITTLE_ENDIAN) {
    throw new AppError('NOT_ACCEPTABLE', `The frames are stored as ${transferSyntaxOf(stored)?.name ?? stored}; Cohort sends them as stored, or as explicit VR little endian.`);
  }
  // framePixels says why when a frame cannot become explicit VR little endian.
  let parts: Buffer[];
  if (convert || deflated) {
    parts = await framePixels(row, frames);
  } else {
    const file = await fs.open(getBlobStore().pathOf(row.sha256), 'r');
    try {
      parts = isNativeOnDisk(stored) ? await Promise.all(frames.map((n) => readNativeFrame(file, row, n))) : await encapsulatedFrames(file, row, frames);
    } finally {
      await file.close();
    }
  }
  const boundary = `cohort-${randomUUID()}`;
  const head = (ts: string) => Buffer.from(`--${boundary}\r\nContent-Type: application/octet-stream; transfer-syntax=${ts}\r\n\r\n`);
  const body = Buffer.concat([...parts.flatMap((p) => [head(wanted), p, Buffer.from('\r\n')]), Buffer.from(`--${boundary}--\r\n`)]);
  return new Response(new Uint8Array(body), {
    headers: { 'content-type': `multipart/related; type="application/octet-stream"; transfer-syntax=${wanted}; boundary=${boundary}` },
  });
}

/** The transfer syntax in an Accept header's multipart/related part type, unless any (*) will do. */
function requestedTransferSyntax(accept: string | null): string | undefined {
  for (const option of (accept ?? '').split(',')) {
    const ts = contentTypeParameter(option, 'transfer-syntax');
    if (ts && ts !== '*') return ts;
  }
  return undefined;
}
