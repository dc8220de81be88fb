import 'server-only';
import { headers } from 'next/headers';
import { z } from 'zod';
import type { Role } from '@/lib/auth/roles';
import { requirePasswordChanged, requireRole, requireUser, type SessionUser } from '@/lib/auth/session-user';
import { AppError } from '@/lib/errors/app-error';
import type { ActionError, ActionResult } from '@/lib/http/action-result';
import { isDatabaseUnavailable } from '@/lib/db/errors';
import { log } from '@/lib/log/logger';

/**
 * Server actions: the same schema and domain function as the JSON API, the same session and role
 * checks, and a result object instead of a thrown error (Next checks the Origin of every action).
 */
export function safeAction<S extends z.ZodType, T>(
  schema: S,
  fn: (input: z.infer<S>, user: SessionUser) => Promise<T>,
  { roles }: { roles?: Role[] } = {},
): (input: z.input<S>) => Promise<ActionResult<T>> {
  return async (input) => {
    try {
      const user = await requireUser(await headers());
      requirePasswordChanged(user);
      if (roles) requireRole(user, ...roles);
      return { ok: true, data: await fn(schema.parse(input), user) };
    } catch (err) {
      return { ok: false, error: toActionError(err) };
    }
  };
}

function toActionError(err: unknown): ActionError {
  if (err instanceof z.ZodError) {
    return { code: 'BAD_REQUEST', message: 'Check the highlighted fields.', fields: z.flattenError(err).fieldErrors };
  }
  if (err instanceof AppError) return { code: err.code, message: err.message };
  if (isDatabaseUnavailable(err)) {
    return { code: 'SERVICE_UNAVAILABLE', message: 'The database is unreachable. Try again shortly.' };
  }
  log.error('unhandled error in server action', { err });
  return { code: 'INTERNAL', message: 'Something went wrong on our side. It has been logged.' };
}
