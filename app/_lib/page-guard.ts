import 'server-only';
import { headers } from 'next/headers';
import { forbidden, redirect } from 'next/navigation';
import { cache } from 'react';
import { canAccessArea, type AreaKey } from '@/lib/auth/areas';
import type { Role } from '@/lib/auth/roles';
import { getSessionUser, hasRole, type SessionUser } from '@/lib/auth/session-user';
import { PATH_HEADER } from '@/proxy';

/** /sign-in, returning to the page asked for (the path comes from proxy.ts, never from the client). */
export function signInPath(h: Headers): string {
  return `/sign-in?next=${encodeURIComponent(h.get(PATH_HEADER) ?? '/')}`;
}

/** The signed-in user of this request, looked up once however many layouts and pages ask. */
export const getRequestUser = cache(async (): Promise<SessionUser | null> => getSessionUser(await headers()));

/**
 * The page-side twin of withAuth: signed out → /sign-in (returning here after), temporary password →
 * /account/password, missing role → the 403 page. Every page under (app) calls it itself: layouts are
 * not re-run on client navigation, so they cannot guard.
 */
export async function requirePageUser(
  options: { area?: AreaKey; roles?: Role[]; allowPendingPasswordChange?: boolean } = {},
): Promise<SessionUser> {
  const user = await getRequestUser();
  if (!user) redirect(signInPath(await headers()));
  if (user.mustChangePassword && !options.allowPendingPasswordChange) redirect('/account/password');
  if (options.area && !canAccessArea(user.roles, options.area)) forbidden();
  if (options.roles && !hasRole(user, ...options.roles)) forbidden();
  return user;
}
