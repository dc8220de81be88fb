/**
 * Drives Cohort's real route handlers in-process with real Requests: Better Auth signs users in and
 * sets real session cookies, and the route modules are the ones Next serves.
 */
import { getAuth } from '@/lib/auth/auth';

export const ORIGIN = 'http://localhost:3000';

export type Session = { cookie: string };

let clientCounter = 0;

/**
 * Signs in through Better Auth's real endpoint. Each call comes from its own client address unless
 * `x-forwarded-for` is given, so tests do not share (and exhaust) one address's sign-in budget.
 */
export async function signIn(email: string, password: string, headers: Record<string, string> = {}) {
  clientCounter++;
  const address = `10.${(clientCounter >> 16) & 255}.${(clientCounter >> 8) & 255}.${clientCounter & 255}`;
  const res = await getAuth().handler(
    new Request(`${ORIGIN}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN, 'x-forwarded-for': address, ...headers },
      body: JSON.stringify({ email, password }),
    }),
  );
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { res, session: res.ok ? ({ cookie } satisfies Session) : null };
}

export async function signInOrThrow(email: string, password: string): Promise<Session> {
  const { res, session } = await signIn(email, password);
  if (!session) throw new Error(`sign-in failed for ${email}: ${res.status} ${await res.text()}`);
  return session;
}

type RouteModule = Record<string, unknown>;
type RouteHandler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

export type CallOptions = {
  session?: Session | null;
  params?: Record<string, string>;
  body?: unknown;
  /** A raw body (bypasses JSON encoding): broken JSON, multipart bytes, a stream. */
  rawBody?: string | Uint8Array | ReadableStream<Uint8Array>;
  headers?: Record<string, string>;
};

/** Calls `method` of a route module as Next would, for the URL path `path`. */
export async function callRoute(mod: RouteModule, method: string, path: string, options: CallOptions = {}) {
  const handler = mod[method] as RouteHandler | undefined;
  if (!handler) throw new Error(`route has no ${method} handler`);
  const headers: Record<string, string> = { ...options.headers };
  if (options.session) headers.cookie = options.session.cookie;
  let body: string | Uint8Array | ReadableStream<Uint8Array> | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  if (method !== 'GET' && method !== 'HEAD') headers.origin ??= ORIGIN;
  if (headers.origin === '') delete headers.origin; // '' means: send no Origin at all
  // duplex: a streamed request body must say so.
  const init = { method, headers, ...(body !== undefined ? { body: body as BodyInit, duplex: 'half' } : {}) } as RequestInit;
  const req = new Request(`${ORIGIN}${path}`, init);
  const res = await handler(req, { params: Promise.resolve(options.params ?? {}) });
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  return { status: res.status, json: json as Record<string, unknown> & { [k: string]: unknown }, text, headers: res.headers };
}
