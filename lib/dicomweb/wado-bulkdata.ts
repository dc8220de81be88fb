import { randomUUID } from 'node:crypto';
import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import { getBlobStore } from '@/lib/storage/get-blob-store';
import { binaryValue, isBinary, readStoredDataSet, type RawElement } from './wado-metadata';

export type BulkDataRequest = { study: string; series: string; instance: string; path: string[] };

const TAG = /^[0-9A-F]{8}$/;
const INDEX = /^\d{1,6}$/;

/**
 * WADO-RS bulk data (PS3.18 §10.4.1.1.5 "Retrieve Bulkdata"): the value of one binary attribute,
 * addressed by the BulkDataURI the metadata gave (instance URL + /bulkdata/ + tag[/item/tag…]), as
 * multipart/related; type="application/octet-stream". Any binary attribute before Pixel Data may be
 * asked for, inline-sized or not; pixels are served as frames.
 */
export async function retrieveBulkData({ study, series, instance, path }: BulkDataRequest): Promise<Response> {
  const segments = path.map((s) => s.toUpperCase());
  if (segments.length === 0 || segments.length % 2 === 0 || segments.some((s, i) => !(i % 2 === 0 ? TAG.test(s) : INDEX.test(s)))) {
    throw new AppError('BAD_REQUEST', 'A bulk data address is a tag, or tag/item/tag… (e.g. 00291010 or 00400275/0/00291010).');
  }
  if (segments.length === 1 && segments[0] === '7FE00010') throw new AppError('NOT_FOUND', 'Pixel Data is served as frames: …/frames/{n}.');
  const row = await getDb().instance.findFirst({
    where: { sopInstanceUid: instance, series: { seriesInstanceUid: series, study: { studyInstanceUid: study } } },
    select: { sha256: true, size: true, transferSyntaxUid: true, pixelDataOffset: true },
  });
  if (!row) throw new AppError('NOT_FOUND', 'No such instance.');
  const { dict } = await readStoredDataSet(getBlobStore().pathOf(row.sha256), row);
  const element = walk(dict, segments);
  if (!element || !isBinary(element)) throw new AppError('NOT_FOUND', 'This instance has no binary attribute there.');
  const boundary = `cohort-${randomUUID()}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Type: application/octet-stream\r\n\r\n`),
    binaryValue(element),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return new Response(new Uint8Array(body), { headers: { 'content-type': `multipart/related; type="application/octet-stream"; boundary=${boundary}` } });
}

/** The element at tag[/item/tag…], or null. */
function walk(dict: Record<string, unknown>, segments: string[]): RawElement | null {
  const element = dict[segments[0]!] as RawElement | undefined;
  if (!element || segments.length === 1) return element ?? null;
  const item = element.Value?.[Number(segments[1])];
  return element.vr === 'SQ' && item ? walk(item as Record<string, unknown>, segments.slice(2)) : null;
}
