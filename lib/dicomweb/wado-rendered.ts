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
 * WADO-RS rendered (instance or frame) and thumbnail resources (PS3.18 §10.4.1.1.3, §10.4.1.1.5) as
 * PNG or JPEG, honouring the `window=center,width[,linear]`, `viewport=width,height` and `quality`
 * query parameters.
 */
export async function renderedResponse({ study, series, instance, frame, query, accept, thumbnail = false }: RenderedRequest): Promise<Response> {
  // Rendered media are single images: one frame (PS3.18 §8.3.5.1), numbered from 1.
  if (frame !== undefined && !/^[1-9]\d{0,8}$/.test(frame)) throw new AppError('BAD_REQUEST', 'A rendered frame is one frame number, counted from 1.');
  const format = renderedFormat(accept);
  const where = { series: { seriesInstanceUid: series, study: { studyInstanceUid: study } } };
  let row;
  if (instance) {
    row = await getDb().instance.findFirst({ where: { ...where, sopInstanceUid: instance } });
  } else {
    const count = await getDb().instance.count({ where });
    row = await getDb().instance.findFirst({ where, orderBy: [{ instanceNumber: 'asc' }, { id: 'asc' }], skip: Math.floor(count / 2) });
  }
  if (!row) throw new AppError('NOT_FOUND', instance ? 'No such instance.' : 'No such series.');
  const image = await renderRow(row, {
    ...(frame ? { frame: Number(frame) } : {}),
    ...(parseWindow(query.get('window')) ?? {}),
    maxSize: thumbnail ? THUMBNAIL_SIZE : parseViewport(query.get('viewport')),
    format,
    quality: parseQuality(query.get('quality')),
  });
  return new Response(new Uint8Array(image), { headers: { 'content-type': `image/${format}`, vary: 'Accept', 'cache-control': 'private, max-age=3600' } });
}

/**
 * PNG or JPEG, by the client's Accept (quality values honoured); PNG, lossless, when either will do
 * or nothing is said. Anything else is 406.
 */
function renderedFormat(accept: string | null): 'png' | 'jpeg' {
  if (!accept?.trim()) return 'png';
  // Each format's quality value: its own media range decides (q=0 refuses it), else the best wildcard.
  const said = { png: { q: 0, exact: false }, jpeg: { q: 0, exact: false } };
  for (const range of accept.split(',')) {
    const [type = '', ...params] = range.split(';').map((p) => p.trim().toLowerCase());
    const raw = params.find((p) => p.startsWith('q='));
    const q = raw ? Number(raw.slice(2)) : 1;
    for (const format of ['png', 'jpeg'] as const) {
      const entry = said[format];
      if (type === `image/${format}`) Object.assign(entry, { q: Number.isFinite(q) ? q : 0, exact: true });
      else if ((type === 'image/*' || type === '*/*') && !entry.exact) entry.q = Math.max(entry.q, Number.isFinite(q) ? q : 0);
    }
  }
  const { png, jpeg } = said;
  if (png.q <= 0 && jpeg.q <= 0) throw new AppError('NOT_ACCEPTABLE', 'Rendered images are served as image/png or image/jpeg.');
  // Ties go to the format named outright, then to PNG (lossless).
  return jpeg.q > png.q || (jpeg.q === png.q && jpeg.exact && !png.exact) ? 'jpeg' : 'png';
}

function parseQuality(raw: string | null): number | undefined {
  if (raw === null) return undefined;
  const quality = Number(raw);
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) throw new AppError('BAD_REQUEST', 'quality must be a whole number from 1 to 100.');
  return quality;
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
