import 'server-only';
import { headers } from 'next/headers';
import type { z } from 'zod';
import type { Role } from '@/lib/auth/roles';
import type { SessionUser } from '@/lib/auth/session-user';
import type { ActionResult } from '@/lib/http/action-result';
import { runAction } from '@/lib/http/run-action';

/**
 * Server actions: the same schema and domain function as the JSON API, the same session and role
 * checks (lib/http/run-action.ts), and a result object instead of a thrown error. Next checks the
 * Origin of every action request itself.
 */
export function safeAction<S extends z.ZodType, T>(
  schema: S,
  fn: (input: z.infer<S>, user: SessionUser) => Promise<T>,
  options: { roles?: Role[] } = {},
): (input: z.input<S>) => Promise<ActionResult<T>> {
  return async (input) => runAction(await headers(), schema, input, fn, options);
}
