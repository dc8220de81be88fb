import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/** OHIF Viewer's prebuilt app (scripts/fetch-ohif.sh). */
export const OHIF_DIST = path.join(process.cwd(), 'tests/.artifacts/ohif/dist');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

/** The configuration block of docs/ohif.md (tested verbatim), pointed at a Cohort. */
export function documentedOhifConfig(cohortOrigin: string): string {
  const doc = readFileSync(path.join(process.cwd(), 'docs/ohif.md'), 'utf8');
  const block = /<!-- ohif-app-config:[^>]*-->\s*```js\n([\s\S]*?)```/.exec(doc)?.[1];
  if (!block) throw new Error('docs/ohif.md has no ohif-app-config block.');
  return block.replaceAll('https://cohort.example.org', cohortOrigin);
}

/**
 * What OHIF's static host answers for a path: its configuration, index.html for its pages under
 * /ohif, its files, or nothing (null). No service worker: every request should reach Cohort.
 */
export function ohifFile(pathname: string, config: string): { body: string } | { file: string } | null {
  if (pathname === '/app-config.js') return { body: config };
  if (pathname === '/init-service-worker.js' || pathname === '/sw.js') return { body: '' };
  if (pathname === '/ohif' || pathname.startsWith('/ohif/')) return { file: path.join(OHIF_DIST, 'index.html') };
  const file = path.join(OHIF_DIST, decodeURIComponent(pathname));
  return file.startsWith(OHIF_DIST + path.sep) && existsSync(file) && statSync(file).isFile() ? { file } : null;
}

/** OHIF served by a static HTTP server of its own on loopback, as a site hosting it apart from Cohort would. */
export async function startOhifServer(port: number, cohortOrigin: string): Promise<{ origin: string; close(): Promise<void> }> {
  const config = documentedOhifConfig(cohortOrigin);
  const server = http.createServer((req, res) => {
    const found = ohifFile(new URL(req.url ?? '/', 'http://x').pathname, config);
    if (!found) return res.writeHead(404).end();
    if ('body' in found) return res.writeHead(200, { 'content-type': 'text/javascript' }).end(found.body);
    res.writeHead(200, { 'content-type': TYPES[path.extname(found.file)] ?? 'application/octet-stream' });
    createReadStream(found.file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
