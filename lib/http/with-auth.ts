import { accessTokenUser, bearerToken } from '@/lib/access-tokens/access-token-user';
import { env } from '@/lib/config/env';
import { AppError } from '@/lib/errors/app-error';
import type { Role } from '@/lib/auth/roles';
import { requirePasswordChanged, requireRole, requireUser, type SessionUser } from '@/lib/auth/session-user';
import { withCrossOriginRead } from './cross-origin-reads';
import { toErrorResponse } from './error-response';

type RouteContext<P> = { params: Promise<P> };
type Handler<P> = (args: { req: Request; user: SessionUser; params: P }) => Promise<Response>;

export type WithAuthOptions = {
  /** The user needs at least one of these roles; omitted means any signed-in user. */
  roles?: Role[];
  /** Let a user still on a temporary password through (only for "who am I"). */
  allowPendingPasswordChange?: boolean;
  /** Accept `Authorization: Bearer <access token>` besides a session (routes programs call: DICOMweb). */
  acceptAccessTokens?: boolean;
  /** Let the web apps of COHORT_DICOMWEB_ORIGINS read the answers of GETs (CORS; tokens, never cookies). */
  crossOriginReads?: boolean;
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The one wrapper every authenticated route handler uses: default deny. 401 without a valid session,
 * 403 for a missing role or a cross-origin write, and any error mapped to JSON without a stack trace.
 */
export function withAuth<P = Record<string, never>>(handler: Handler<P>, options: WithAuthOptions = {}) {
  const respond = async (req: Request, ctx: RouteContext<P>): Promise<Response> => {
    try {
      assertSameOrigin(req);
      const user = await authenticate(req.headers, options.acceptAccessTokens ?? false);
      if (!options.allowPendingPasswordChange) requirePasswordChanged(user);
      if (options.roles) requireRole(user, ...options.roles);
      return await handler({ req, user, params: await ctx.params });
    } catch (err) {
      return toErrorResponse(err);
    }
  };
  if (!options.crossOriginReads) return respond;
  // Errors too: a client on another origin must be able to read why it was refused.
  return async (req: Request, ctx: RouteContext<P>) => (SAFE_METHODS.has(req.method) ? withCrossOriginRead(req, await respond(req, ctx)) : respond(req, ctx));
}

/** Routes anyone may call (health): same error mapping, no session. */
export function withErrors<P = Record<string, never>>(handler: (args: { req: Request; params: P }) => Promise<Response>) {
  return async (req: Request, ctx: RouteContext<P>): Promise<Response> => {
    try {
      return await handler({ req, params: await ctx.params });
    } catch (err) {
      return toErrorResponse(err);
    }
  };
}

/** The session's user, or the access token's where the route takes tokens. */
async function authenticate(headers: Headers, acceptAccessTokens: boolean): Promise<SessionUser> {
  const token = bearerToken(headers);
  if (token === null) return requireUser(headers);
  if (!acceptAccessTokens) throw new AppError('UNAUTHENTICATED', 'This route takes a signed-in session, not an access token.');
  const user = await accessTokenUser(token);
  if (!user) throw new AppError('UNAUTHENTICATED', 'The access token is unknown, expired or revoked.');
  return user;
}

/**
 * A cookie-bearing write from a foreign page is CSRF. Browsers say where a request comes from in
 * Sec-Fetch-Site and (on writes) Origin; clients sending neither (curl, scripts) are not browsers.
 */
function assertSameOrigin(req: Request) {
  if (SAFE_METHODS.has(req.method)) return;
  if (req.headers.get('sec-fetch-site') === 'cross-site') throw new AppError('FORBIDDEN', 'Cross-origin request refused.');
  const origin = req.headers.get('origin');
  if (!origin) return;
  const allowed = [env.appUrl, ...env.trustedOrigins, new URL(req.url).origin];
  if (!allowed.includes(origin)) throw new AppError('FORBIDDEN', 'Cross-origin request refused.');
}
