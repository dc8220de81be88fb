import { ERROR_STATUS, type ErrorCode } from '@/lib/errors/app-error';
import { classifyError } from './classify-error';

export type ErrorBody = { error: ErrorCode; message: string; fields?: Record<string, string[] | undefined> } & Record<
  string,
  unknown
>;

export function errorResponse(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): Response {
  // Extra details never overwrite the code and message.
  const body: ErrorBody = { ...extra, error: code, message };
  return Response.json(body, { status: ERROR_STATUS[code], headers: { 'Cache-Control': 'no-store' } });
}

/** Maps anything thrown in a route to a JSON error. Unknown errors are logged and never sent to clients. */
export function toErrorResponse(err: unknown): Response {
  const { code, message, fields, details } = classifyError(err, 'route');
  return errorResponse(code, message, { ...details, ...(fields ? { fields } : {}) });
}
