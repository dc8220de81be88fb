/**
 * The address a request came from, for throttles: the last X-Forwarded-For hop, which Next.js (or
 * the proxy in front of it) appends itself, so a client cannot choose it by sending the header.
 */
export function clientAddress(req: Request | Headers): string {
  const headers = req instanceof Headers ? req : req.headers;
  const hops = headers.get('x-forwarded-for')?.split(',').map((h) => h.trim()).filter(Boolean) ?? [];
  return hops.at(-1) ?? 'unknown';
}
