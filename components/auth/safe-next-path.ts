const BASE = 'http://cohort.invalid';

/**
 * Only same-site paths: `?next=https://evil.example`, `//evil.example` or `/\t/evil.example` (browsers
 * drop tabs and newlines, turning it into `//evil.example`) must not become a redirect. Parsing the way
 * browsers do, then keeping only the path, is what makes it safe.
 */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith('/')) return '/';
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return '/';
  }
  if (url.origin !== BASE || url.pathname.startsWith('/sign-in')) return '/';
  return url.pathname + url.search + url.hash;
}
