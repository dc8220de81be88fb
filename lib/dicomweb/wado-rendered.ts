import { getDb } from '@/lib/db/client';
import { renderRow } from '@/lib/dicom/render-frame';
import { AppError } from '@/lib/errors/app-error';

export type RenderedRequest = {
  study: string;
  series: string;
  /** Omitted: the series' middle image (a series thumbnail). */
  instance?: string;
  /** The frames path segment of a rendered frame resource: one frame number. Omitted: the first frame. */
  frame?: string;
  query: URLSearchParams;
  accept: string | null;
  thumbnail?: boolean;
};

const THUMBNAIL_SIZE = 128;

/**
 * WADO-RS rendered (instance or frame) and thumbnail resources (PS3.18 §10.4.1.1.3, §10.4.1.1.5) as PNG, honouring the
 * `window=center,width[,linear]` and `viewport=width,height` query parameters.
 */
export async function renderedResponse({ study, series, instance, frame, query, accept, thumbnail = false }: RenderedRequest): Promise<Response> {
  // Rendered media are single images: one frame (PS3.18 §8.3.5.1), numbered from 1.
  if (frame !== undefined && !/^[1-9]\d{0,8}$/.test(frame)) throw new AppError('BAD_REQUEST', 'A rendered frame is one frame number, counted from 1.');
  if (accept && !/(^|,)\s*(image\/png|image\/\*|\*\/\*)/.test(accept)) throw new AppError('NOT_ACCEPTABLE', 'Rendered images are served as image/png.');
  const where = { series: { seriesInstanceUid: series, study: { studyInstanceUid: study } } };
  let row;
  if (instance) {
    row = await getDb().instance.findFirst({ where: { ...where, sopInstanceUid: instance } });
  } else {
    const count = await getDb().instance.count({ where });
    row = await getDb().instance.findFirst({ where, orderBy: [{ instanceNumber: 'asc' }, { id: 'asc' }], skip: Math.floor(count / 2) });
  }
  if (!row) throw new AppError('NOT_FOUND', instance ? 'No such instance.' : 'No such series.');
  const png = await renderRow(row, {
    ...(frame ? { frame: Number(frame) } : {}),
    ...(parseWindow(query.get('window')) ?? {}),
    maxSize: thumbnail ? THUMBNAIL_SIZE : parseViewport(query.get('viewport')),
  });
  return new Response(new Uint8Array(png), { headers: { 'content-type': 'image/png', 'cache-control': 'private, max-age=3600' } });
}

function parseWindow(raw: string | null): { window: { center: number; width: number } } | null {
  if (!raw) return null;
  const [center, width, fn = 'linear'] = raw.split(',');
  const c = Number(center);
  const w = Number(width);
  if (!Number.isFinite(c) || !Number.isFinite(w) || w <= 0 || fn.trim().toLowerCase() !== 'linear') {
    throw new AppError('BAD_REQUEST', 'window must be "center,width" or "center,width,linear" with width > 0.');
  }
  return { window: { center: c, width: w } };
}

function parseViewport(raw: string | null): number | undefined {
  if (!raw) return undefined;
  const sizes = raw.split(',').slice(0, 2).map(Number);
  if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 8192)) throw new AppError('BAD_REQUEST', 'viewport must be "width,height" in pixels.');
  return Math.max(...sizes);
}
