import { AppError } from '@/lib/errors/app-error';
import { getDb } from '@/lib/db/client';
import { getAuth } from './auth';
import { toRoles, type Role } from './roles';

export type SessionUser = {
  id: string;
  name: string;
  email: string;
  roles: Role[];
  mustChangePassword: boolean;
  sessionId: string;
};

/** What a SessionUser is made of, as read from the user table. */
export const SESSION_USER_SELECT = { id: true, name: true, email: true, deactivatedAt: true, mustChangePassword: true, roles: true } as const;
type SessionUserRow = { id: string; name: string; email: string; mustChangePassword: boolean; roles: { role: string }[] };

/** A user row as the request's user; `sessionId` names the session or access token it came with. */
export function toSessionUser(user: SessionUserRow, sessionId: string): SessionUser {
  return { id: user.id, name: user.name, email: user.email, roles: toRoles(user.roles.map((r) => r.role)), mustChangePassword: user.mustChangePassword, sessionId };
}

/** The signed-in user behind a request's session cookie, or null (no, expired or revoked session). */
export async function getSessionUser(headers: Headers): Promise<SessionUser | null> {
  const session = await getAuth().api.getSession({ headers });
  if (!session) return null;
  const user = await getDb().user.findUnique({ where: { id: session.user.id }, select: SESSION_USER_SELECT });
  // Sessions are revoked on deactivation; this also covers one created in between.
  if (!user || user.deactivatedAt) return null;
  return toSessionUser(user, session.session.id);
}

export async function requireUser(headers: Headers): Promise<SessionUser> {
  const user = await getSessionUser(headers);
  if (!user) throw new AppError('UNAUTHENTICATED', 'Sign in to continue.');
  return user;
}

export function hasRole(user: Pick<SessionUser, 'roles'>, ...roles: Role[]): boolean {
  return roles.some((role) => user.roles.includes(role));
}

/** Throws FORBIDDEN unless the user holds at least one of `roles`. */
export function requireRole(user: Pick<SessionUser, 'roles'>, ...roles: Role[]): void {
  if (!hasRole(user, ...roles)) {
    throw new AppError('FORBIDDEN', `This needs one of these roles: ${roles.join(', ')}.`);
  }
}

/** Accounts still on an admin-issued temporary password may do nothing but replace it. */
export function requirePasswordChanged(user: Pick<SessionUser, 'mustChangePassword'>): void {
  if (user.mustChangePassword) {
    throw new AppError('FORBIDDEN', 'Change your temporary password first.', { reason: 'PASSWORD_CHANGE_REQUIRED' });
  }
}
