import { hasRole, type SessionUser } from '@/lib/auth/session-user';
import type { Role } from '@/lib/auth/roles';

/** How a study was read. */
export const ACCESS_HOWS = ['view', 'download', 'dicomweb', 'inference', 'export'] as const;
export type AccessHow = (typeof ACCESS_HOWS)[number];

export const ACCESS_OUTCOMES = ['allowed', 'denied'] as const;
export type AccessOutcome = (typeof ACCESS_OUTCOMES)[number];

/** Who read it: a person (signed in, through one of their access tokens, or holding a patient's share link) or Cohort on someone's behalf. */
export type AccessActor =
  | { kind: 'user'; userId: string; role: Role | null }
  | { kind: 'access_token'; userId: string; role: Role | null; accessTokenId: string }
  | { kind: 'model'; modelName: string }
  | { kind: 'dataset_export'; datasetVersionId: string }
  | { kind: 'share_link'; shareLinkId: string };

export type AccessEvent = {
  /** Cohort's id where the caller has it; otherwise the UID, resolved when the log is written. */
  study: { id: string } | { studyInstanceUid: string };
  seriesInstanceUid?: string | null;
  by: AccessActor;
  how: AccessHow;
  outcome?: AccessOutcome;
  address?: string | null;
  at?: Date;
};

/**
 * The request's user as an actor: through an access token (`sessionId` "token:<id>", see
 * accessTokenUser) or a session; `role` is the first of `allowedRoles` they hold, the one that let them in.
 */
export function actorOf(user: Pick<SessionUser, 'id' | 'roles' | 'sessionId'>, allowedRoles: readonly Role[]): AccessActor {
  const role = allowedRoles.find((r) => hasRole(user, r)) ?? null;
  const token = /^token:(.+)$/.exec(user.sessionId);
  return token ? { kind: 'access_token', userId: user.id, role, accessTokenId: token[1]! } : { kind: 'user', userId: user.id, role };
}
