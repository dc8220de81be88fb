import { z } from 'zod';
import { exportAnnotationSeg, importAnnotationSeg } from '@/lib/annotations/annotation-seg';
import { AppError } from '@/lib/errors/app-error';
import { readBytesLimited } from '@/lib/http/read-json';
import { withAuth } from '@/lib/http/with-auth';

/** A SEG of a 512×512×1000 CT, one segment on every slice, is 33 MB: far below this. */
const MAX_SEG_BYTES = 512 * 1024 * 1024;
const ZSeries = z.string().regex(/^[0-9.]{1,64}$/, 'a Series Instance UID');

/** The latest saved labelmap of `?series=` as a DICOM-SEG file. */
export const GET = withAuth<{ annotationId: string }>(
  async ({ req, user, params }) => {
    const seriesInstanceUid = ZSeries.parse(new URL(req.url).searchParams.get('series'));
    const { bytes, filename } = await exportAnnotationSeg({ user, annotationId: params.annotationId, seriesInstanceUid });
    return new Response(new Uint8Array(bytes), { headers: { 'content-type': 'application/dicom', 'content-disposition': `attachment; filename="${filename}"`, 'cache-control': 'no-store' } });
  },
  { roles: ['radiologist', 'ml_engineer', 'admin'] },
);

/** Imports a DICOM-SEG (body: application/dicom) into the reader's label as a new version. */
export const POST = withAuth<{ annotationId: string }>(
  async ({ req, user, params }) => {
    if (!/^application\/(dicom|octet-stream)\b/i.test(req.headers.get('content-type') ?? '')) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the DICOM-SEG file as application/dicom.');
    const bytes = await readBytesLimited(req, MAX_SEG_BYTES);
    return Response.json(await importAnnotationSeg({ user, annotationId: params.annotationId, bytes: new Uint8Array(bytes) }));
  },
  { roles: ['radiologist'] },
);
