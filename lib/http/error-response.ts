import { z } from 'zod';
import { AppError, ERROR_STATUS, type ErrorCode } from '@/lib/errors/app-error';
import { isDatabaseUnavailable } from '@/lib/db/errors';
import { log } from '@/lib/log/logger';

export type ErrorBody = { error: ErrorCode; message: string; fields?: Record<string, string[]> } & Record<
  string,
  unknown
>;

export function errorResponse(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): Response {
  const body: ErrorBody = { error: code, message, ...extra };
  return Response.json(body, { status: ERROR_STATUS[code], headers: { 'Cache-Control': 'no-store' } });
}

/** Maps anything thrown in a route to a JSON error. Unknown errors are logged and never sent to clients. */
export function toErrorResponse(err: unknown): Response {
  if (err instanceof z.ZodError) {
    return errorResponse('BAD_REQUEST', 'The request did not pass validation.', {
      fields: z.flattenError(err).fieldErrors,
      formErrors: z.flattenError(err).formErrors,
    });
  }
  if (err instanceof AppError) return errorResponse(err.code, err.message, err.details);
  if (isDatabaseUnavailable(err)) {
    log.error('database unavailable', { err });
    return errorResponse('SERVICE_UNAVAILABLE', 'The database is unreachable. Try again shortly.');
  }
  log.error('unhandled error in route', { err });
  return errorResponse('INTERNAL', 'Something went wrong on our side. It has been logged.');
}
