import type { z } from 'zod';
import type { Role } from '@/lib/auth/roles';
import { requirePasswordChanged, requireRole, requireUser, type SessionUser } from '@/lib/auth/session-user';
import type { ActionResult } from './action-result';
import { classifyError } from './classify-error';

/**
 * The body of every server action: the session and role checks of withAuth, the input parsed by the
 * same zod schema the JSON API uses, and a result object instead of a thrown error. Framework-free
 * (the caller passes the request headers), so it is tested like any domain function.
 */
export async function runAction<S extends z.ZodType, T>(
  headers: Headers,
  schema: S,
  input: unknown,
  fn: (input: z.infer<S>, user: SessionUser) => Promise<T>,
  { roles }: { roles?: Role[] } = {},
): Promise<ActionResult<T>> {
  try {
    const user = await requireUser(headers);
    requirePasswordChanged(user);
    if (roles) requireRole(user, ...roles);
    return { ok: true, data: await fn(schema.parse(input), user) };
  } catch (err) {
    const { code, message, fields } = classifyError(err, 'server action');
    return { ok: false, error: { code, message, ...(fields ? { fields } : {}) } };
  }
}
