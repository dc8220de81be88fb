import { env } from '@/lib/config/env';

/** What a cross-origin DICOMweb client may read besides the simple response headers. */
const EXPOSED = 'Content-Type, Content-Length, Content-Location, Warning';

/** The request's Origin when it is one of COHORT_DICOMWEB_ORIGINS, else null. */
function allowedOrigin(req: Request): string | null {
  const origin = req.headers.get('origin');
  return origin && env.dicomwebOrigins.includes(origin) ? origin : null;
}

/**
 * A read's response, readable by an allowed web app on another origin (CORS). No
 * Access-Control-Allow-Credentials: a browser never sends the session cookie across origins here,
 * so such a client authenticates with an access token, and a page that is not allowed reads nothing.
 */
export function withCrossOriginRead(req: Request, res: Response): Response {
  const origin = allowedOrigin(req);
  const headers = new Headers(res.headers);
  headers.append('Vary', 'Origin');
  if (origin) {
    headers.set('Access-Control-Allow-Origin', origin);
    headers.set('Access-Control-Expose-Headers', EXPOSED);
  }
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
}

/**
 * The CORS preflight of a DICOMweb read (OPTIONS): GET with an Authorization and an Accept header,
 * for an allowed origin; for any other, an answer without permissions (the browser then refuses).
 */
export async function crossOriginReadPreflight(req: Request): Promise<Response> {
  const origin = allowedOrigin(req);
  const headers = new Headers({ Allow: 'GET, HEAD, OPTIONS', Vary: 'Origin' });
  if (origin) {
    headers.set('Access-Control-Allow-Origin', origin);
    headers.set('Access-Control-Allow-Methods', 'GET, HEAD');
    headers.set('Access-Control-Allow-Headers', 'Authorization, Accept, Accept-Encoding, Cache-Control');
    headers.set('Access-Control-Max-Age', '600');
    // Private Network Access: a listed app on a public origin may reach a Cohort on the hospital network.
    if (req.headers.get('access-control-request-private-network') === 'true') headers.set('Access-Control-Allow-Private-Network', 'true');
  }
  return new Response(null, { status: 204, headers });
}
