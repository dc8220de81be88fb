import { betterAuth } from 'better-auth';
import { prismaAdapter } from 'better-auth/adapters/prisma';
import { APIError, createAuthMiddleware } from 'better-auth/api';
import { env } from '@/lib/config/env';
import { getAuthSecret } from '@/lib/config/secrets';
import { getDb } from '@/lib/db/client';
import { log } from '@/lib/log/logger';
import { releaseSignInAttempt, reserveSignInAttempt } from './account-throttle';

export const AUTH_BASE_PATH = '/api/auth';
export const DEACTIVATED_CODE = 'ACCOUNT_DEACTIVATED';

function createAuth() {
  const db = getDb();
  return betterAuth({
    appName: 'Cohort',
    baseURL: env.appUrl,
    basePath: AUTH_BASE_PATH,
    secret: getAuthSecret(),
    // Cookie-bearing POSTs from any other origin are refused (CSRF).
    trustedOrigins: [env.appUrl, ...env.trustedOrigins],
    database: prismaAdapter(db, { provider: env.databaseProvider, transaction: true }),
    emailAndPassword: {
      enabled: true,
      // Staff accounts are created by admins; patients will join with claim codes.
      disableSignUp: true,
      minPasswordLength: 12,
      maxPasswordLength: 128,
      revokeSessionsOnPasswordReset: true,
    },
    session: {
      expiresIn: env.COHORT_SESSION_HOURS * 3600,
      // Absolute lifetime (a shift), not sliding: pages read the session server-side, where a refreshed
      // cookie could not be sent back anyway, and no request pays for a session write.
      disableSessionRefresh: true,
      // No cookie cache: deactivating a user or revoking a session takes effect on the next request.
      cookieCache: { enabled: false },
    },
    user: {
      additionalFields: {
        deactivatedAt: { type: 'date', required: false, input: false },
        mustChangePassword: { type: 'boolean', required: false, input: false, defaultValue: false },
      },
    },
    rateLimit: {
      enabled: true,
      // In the database, so every web process shares the buckets.
      storage: 'database',
      window: 60,
      max: 300,
      customRules: {
        // Per client address, when there is one to key on. A forwarded chain nobody vouches for would
        // put every such client in one shared bucket that anyone could exhaust; the per-account
        // throttle (hooks below) bounds guessing there.
        '/sign-in/*': (request) =>
          hasOneClientAddress(request) ? { window: env.COHORT_SIGNIN_RATE_LIMIT.window, max: env.COHORT_SIGNIN_RATE_LIMIT.max } : false,
        '/change-password': { window: 60, max: 10 },
      },
    },
    advanced: {
      // Explicit: Better Auth would otherwise skip the origin check whenever NODE_ENV=test.
      disableOriginCheck: false,
      cookiePrefix: 'cohort',
      useSecureCookies: env.appUrl.startsWith('https://'),
      database: { generateId: 'uuid' },
      ipAddress: {
        ipAddressHeaders: ['x-forwarded-for'],
        ...(env.trustedProxies.length > 0 ? { trustedProxies: env.trustedProxies } : {}),
      },
    },
    databaseHooks: {
      session: {
        create: {
          // Every sign-in passes here: a deactivated account never gets a session. Read through Better
          // Auth's adapter, which joins the transaction this may run in (e.g. change-password).
          async before(session, ctx) {
            const user = ctx
              ? ((await ctx.context.internalAdapter.findUserById(session.userId)) as { deactivatedAt?: Date | null } | null)
              : await db.user.findUnique({ where: { id: session.userId }, select: { deactivatedAt: true } });
            if (!user || user.deactivatedAt) {
              throw APIError.from('FORBIDDEN', {
                code: DEACTIVATED_CODE,
                message: 'This account is deactivated. Ask your Cohort administrator to reactivate it.',
              });
            }
          },
        },
      },
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== '/sign-in/email') return;
        const decision = await reserveSignInAttempt(db, signInEmail(ctx.body));
        if (!decision.allowed) {
          throw new APIError(
            'TOO_MANY_REQUESTS',
            { code: 'ACCOUNT_THROTTLED', message: 'Too many failed sign-ins for this account.' },
            { 'X-Retry-After': String(decision.retryAfterSeconds) },
          );
        }
      }),
      after: createAuthMiddleware(async (ctx) => {
        // Runs only when the endpoint ran, i.e. after a successful reservation above.
        const status = ctx.context.returned instanceof APIError ? ctx.context.returned.statusCode : 200;
        if (ctx.path === '/sign-in/email' && status !== 401) await releaseSignInAttempt(db, signInEmail(ctx.body));
        // A temporary password is cleared only by a successful change through Better Auth itself.
        if (ctx.path === '/change-password' && !(ctx.context.returned instanceof Error)) {
          const userId = ctx.context.session?.user.id;
          if (userId) await db.user.update({ where: { id: userId }, data: { mustChangePassword: false } });
        }
      }),
    },
    // Failed sign-ins and the like go to our log, in its format and at its level.
    logger: {
      level: 'info',
      log: (level, message, ...args) => log[level](`auth: ${message}`, args.length ? { details: args } : undefined),
    },
    telemetry: { enabled: false },
  });
}

function hasOneClientAddress(request: Request): boolean {
  if (env.trustedProxies.length > 0) return true;
  const forwarded = request.headers.get('x-forwarded-for');
  // Next.js fills in the socket address when the header is absent.
  return !forwarded || !forwarded.includes(',');
}

function signInEmail(body: unknown): string {
  const email = (body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? email : '';
}

export type Auth = ReturnType<typeof createAuth>;

const globalForAuth = globalThis as typeof globalThis & { __cohortAuth?: Auth };

/** The Better Auth instance, created on first use (it needs the database client and secrets). */
export function getAuth(): Auth {
  globalForAuth.__cohortAuth ??= createAuth();
  return globalForAuth.__cohortAuth;
}

/** Better Auth's password hashing (scrypt), for accounts Cohort creates itself. */
export async function hashPassword(password: string): Promise<string> {
  const context = await getAuth().$context;
  return context.password.hash(password);
}
