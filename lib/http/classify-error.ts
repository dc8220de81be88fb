import { z } from 'zod';
import { isDatabaseUnavailable } from '@/lib/db/errors';
import { AppError, type ErrorCode } from '@/lib/errors/app-error';
import { log } from '@/lib/log/logger';

export type ClassifiedError = {
  code: ErrorCode;
  message: string;
  fields?: Record<string, string[] | undefined>;
  details?: Record<string, unknown>;
};

/**
 * What a client may learn about a failure, for route handlers and server actions alike: validation
 * errors with their fields, our own AppErrors, "database unreachable", and otherwise only that
 * something went wrong (the error itself is logged, never sent).
 */
export function classifyError(err: unknown, where: string): ClassifiedError {
  if (err instanceof z.ZodError) {
    const { formErrors } = z.flattenError(err);
    return { code: 'BAD_REQUEST', message: formErrors[0] ?? 'Some fields are not valid.', fields: fieldErrorsOf(err) };
  }
  if (err instanceof AppError) return { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) };
  if (isDatabaseUnavailable(err)) {
    log.error(`database unavailable in ${where}`, { err });
    return { code: 'SERVICE_UNAVAILABLE', message: 'The database is unreachable. Try again shortly.' };
  }
  log.error(`unhandled error in ${where}`, { err });
  return { code: 'INTERNAL', message: 'Something went wrong on our side. It has been logged.' };
}

/**
 * Messages per top-level field; an issue deeper inside a field says where ("segments 2 name: …",
 * rows counted from 1), so a form showing a nested object's error can point at the row.
 */
function fieldErrorsOf(err: z.ZodError): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const issue of err.issues) {
    const [head, ...rest] = issue.path;
    if (head === undefined) continue;
    const where = rest.map((p) => (typeof p === 'number' ? String(p + 1) : String(p))).join(' ');
    (fields[String(head)] ??= []).push(where ? `${where}: ${issue.message}` : issue.message);
  }
  return fields;
}
