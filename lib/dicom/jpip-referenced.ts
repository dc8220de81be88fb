import { env } from '@/lib/config/env';
import { readStoredDataSet } from '@/lib/dicomweb/wado-metadata';
import { AppError, isAppError } from '@/lib/errors/app-error';
import { readBytesLimited } from '@/lib/http/read-json';
import { getBlobStore } from '@/lib/storage/get-blob-store';
import { decodeFrame, type DecodedFrame, type FrameHeader } from './codecs/decode-frame';
import { codestreamFromJpt, JptStreamError, parseJpipMessages } from './jpip/jpt-stream';
import { transferSyntaxOf } from './transfer-syntaxes';

/** What fetching a JPIP-referenced image's pixels needs from its row. */
export type JpipInstance = Omit<FrameHeader, 'transferSyntaxUid' | 'planarConfiguration'> & { sha256: string; size: number; transferSyntaxUid: string; pixelDataOffset: number | null; frames: number };

export const isJpipReferenced = (transferSyntaxUid: string) => transferSyntaxOf(transferSyntaxUid)?.jpip === true;

/** A JPIP server takes this long at most to send a whole image. */
const JPIP_TIMEOUT_MS = 30_000;

/**
 * A JPIP-referenced image's pixels (PS3.5 §A.6): its file holds only the address of the JPIP server
 * that has them (Pixel Data Provider URL, 0028,7FE0). They are asked for whole, at full size, as a
 * JPT-stream (ISO/IEC 15444-9), from a server an admin listed in COHORT_JPIP_ORIGINS (the address
 * comes from an uploaded file: any other is never fetched), and decoded like a stored JPEG 2000 frame.
 * Multi-frame JPIP images are not read. NOT_ACCEPTABLE or BAD_GATEWAY with the reason.
 */
export async function jpipFrameSamples(row: JpipInstance): Promise<DecodedFrame & { planarConfiguration: number }> {
  const { url, planarConfiguration } = await jpipAttributes(row);
  const where = `they are on a JPIP server (${url ?? 'its address could not be read'})`;
  if (!url) throw new AppError('NOT_ACCEPTABLE', `This image's pixels are not in its file: ${where}.`);
  if (row.frames !== 1) throw new AppError('NOT_ACCEPTABLE', `This image's ${row.frames} frames are on a JPIP server (${url}); Cohort reads single-frame JPIP images only.`);
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new AppError('NOT_ACCEPTABLE', `This image's pixels are not in its file: its JPIP server's address (${url}) is not a URL.`);
  }
  if (!allowedOrigins().has(target.origin)) {
    throw new AppError('NOT_ACCEPTABLE', `This image's pixels are not in its file: ${where}, which this installation does not fetch from. An admin can allow it in COHORT_JPIP_ORIGINS, or open the image in a JPIP viewer.`);
  }
  target.searchParams.set('fsiz', `${row.columns},${row.rows}`);
  target.searchParams.set('type', 'jpt-stream');
  const codestream = await fetchCodestream(target, row);
  try {
    return { ...(await decodeFrame(codestream, { ...row, planarConfiguration, transferSyntaxUid: decoderSyntax(row.transferSyntaxUid) })), planarConfiguration };
  } catch (err) {
    throw new AppError('NOT_ACCEPTABLE', `The image from the JPIP server (${url}) could not be decoded: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function fetchCodestream(target: URL, row: JpipInstance): Promise<Uint8Array> {
  const server = `The JPIP server (${target.origin})`;
  let res: Response;
  try {
    res = await fetch(target, { signal: AbortSignal.timeout(JPIP_TIMEOUT_MS), redirect: 'error' });
  } catch (err) {
    throw new AppError('BAD_GATEWAY', `${server} did not answer: ${err instanceof Error && err.name === 'TimeoutError' ? `nothing within ${JPIP_TIMEOUT_MS / 1000} s` : 'unreachable'}.`);
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new AppError('BAD_GATEWAY', `${server} answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}.`);
  }
  const type = res.headers.get('content-type') ?? '';
  if (!type.startsWith('image/jpt-stream')) {
    await res.body?.cancel();
    throw new AppError('BAD_GATEWAY', `${server} answered ${type || 'without a content type'}, not a JPT-stream (image/jpt-stream).`);
  }
  // A compressed image is rarely larger than its pixels; twice them (and 1 MiB of headers) is the most taken.
  const limit = 2 * row.rows * row.columns * row.samplesPerPixel * Math.ceil(row.bitsAllocated / 8) + 1024 ** 2;
  try {
    return codestreamFromJpt(parseJpipMessages(await readBytesLimited(res, limit)));
  } catch (err) {
    if (err instanceof JptStreamError) throw new AppError('BAD_GATEWAY', err.message);
    if (isAppError(err, 'PAYLOAD_TOO_LARGE')) throw new AppError('BAD_GATEWAY', `${server} sent more than ${limit} bytes for one ${row.columns}×${row.rows} image.`);
    throw err;
  }
}

/** JPIP serves JPEG 2000 (4.94, 4.95) or HTJ2K (4.204, 4.205) codestreams: decoded by OpenJPEG or OpenJPH. */
const decoderSyntax = (transferSyntaxUid: string) => (transferSyntaxUid.endsWith('.204') || transferSyntaxUid.endsWith('.205') ? '1.2.840.10008.1.2.4.203' : '1.2.840.10008.1.2.4.91');

const allowedOrigins = () =>
  new Set(
    env.COHORT_JPIP_ORIGINS.split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .flatMap((s) => {
        try {
          return [new URL(s).origin];
        } catch {
          return [];
        }
      }),
  );

/** Pixel Data Provider URL and Planar Configuration, from the stored file. */
async function jpipAttributes(row: JpipInstance): Promise<{ url?: string; planarConfiguration: number }> {
  try {
    const { dict } = await readStoredDataSet(getBlobStore().pathOf(row.sha256), row);
    const value = <T>(tag: string) => (dict[tag] as { Value?: T[] } | undefined)?.Value?.[0];
    return { url: value<string>('00287FE0')?.trim() || undefined, planarConfiguration: value<number>('00280006') ?? 0 };
  } catch {
    // A data set dcmjs cannot read (JPIP Referenced Deflate) still gets a reason, without the address.
    return { planarConfiguration: 0 };
  }
}
