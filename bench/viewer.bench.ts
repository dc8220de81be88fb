/**
 * Viewer benchmarks in headless Chromium (Debian's, SwiftShader WebGL), each beside a bare
 * Cornerstone3D page (bench/bare-viewer: no app shell, built here with Vite) loading the same images
 * from the same server in the same run:
 * - viewer.ttfi: navigation to the first rendered image of the middle 512² slice of a 300-slice CT,
 *   a new browser context (cold cache) per run, median of 7, the two pages taking turns so a busier
 *   moment of the machine weighs on both alike; read from the `cohort:first-image`
 *   user-timing mark both pages set at their first IMAGE_RENDERED;
 * - viewer.ttfi.warm: the same, navigating again in the same context right after: scripts and
 *   WebAssembly in the browser's caches, as for a reader opening the next study;
 * - viewer.scroll: images per second scrolling through the 300 slices once all are loaded (the
 *   second pass), one image per rendered frame: the app is driven by its ↓ key, the bare page calls
 *   viewport.scroll(1).
 * The app runs as `next start` on the production build (built first when missing); both pages are
 * served through one small proxy, so they share an origin and the session cookie, and the bare page's
 * files are gzipped on the fly as `next start` gzips the app's: both pay for the same compression.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium, type Browser, type BrowserContext } from '@playwright/test';
import Database from 'better-sqlite3';
import { syntheticCtSeries } from '../lib/dicom/synthetic-ct';
import { stowBody } from '../tests/helpers/multipart';
import { entry, report } from './harness';

const SLICES = 300;
const RUNS = 7;
const ADMIN = { email: 'bench@bench.local', password: 'bench-admin-passphrase' };
/**
 * In the app page: ↓ presses through the whole stack from Home, each after the previous image was
 * drawn (the viewport's data-renders counter); images per second. A string: tsx would add helpers
 * the page does not have to a function.
 */
const APP_SCROLL = `(async () => {
  const viewport = document.querySelector('[data-testid="viewport"]');
  const renders = () => Number(viewport.dataset.renders);
  const nextRender = (after) => new Promise((resolve, reject) => {
    const observer = new MutationObserver(() => { if (renders() > after) { observer.disconnect(); clearTimeout(timer); resolve(); } });
    const timer = setTimeout(() => { observer.disconnect(); reject(new Error('no render after ' + viewport.dataset.imageIndex)); }, 10000);
    observer.observe(viewport, { attributes: true, attributeFilter: ['data-renders'] });
  });
  const press = (key) => document.body.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
  const home = nextRender(renders());
  press('Home');
  await home;
  const start = performance.now();
  for (let i = 1; i < ${SLICES}; i++) {
    const rendered = nextRender(renders());
    press('ArrowDown');
    await rendered;
  }
  return (${SLICES} - 1) / ((performance.now() - start) / 1000);
})()`;

const root = process.cwd();
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cohort-bench-viewer-'));
const bareDir = path.join(dataDir, 'bare');

if (!existsSync(path.join(root, '.next', 'BUILD_ID'))) run('npx', ['next', 'build', '--webpack']);
run('npx', ['vite', 'build', 'bench/bare-viewer', '--outDir', bareDir, '--emptyOutDir']);

const appPort = await freePort();
const proxy = http.createServer((req, res) => {
  if (req.url?.startsWith('/bare/')) {
    const file = path.join(bareDir, decodeURIComponent(new URL(req.url, 'http://x').pathname.slice('/bare/'.length)) || 'index.html');
    if (!file.startsWith(bareDir) || !existsSync(file)) return void res.writeHead(404).end();
    const type = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' }[path.extname(file)];
    const body = readFileSync(file);
    // Compressed the way `next start` compresses the app's own files: gzip on the fly, default level, from 1 kB.
    if (type && body.length >= 1024 && /\bgzip\b/.test(String(req.headers['accept-encoding']))) {
      res.writeHead(200, { 'content-type': type, 'content-encoding': 'gzip', vary: 'Accept-Encoding' });
      const gzip = zlib.createGzip();
      gzip.pipe(res);
      return void gzip.end(body);
    }
    return void res.writeHead(200, { 'content-type': type ?? 'application/octet-stream' }).end(body);
  }
  const upstream = http.request({ host: '127.0.0.1', port: appPort, path: req.url, method: req.method, headers: { ...req.headers, host: `localhost:${appPort}` } }, (r) => {
    res.writeHead(r.statusCode ?? 502, r.headers);
    r.pipe(res);
  });
  upstream.on('error', () => res.writeHead(502).end());
  req.pipe(upstream);
});
await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
const origin = `http://localhost:${(proxy.address() as AddressInfo).port}`;

const app = spawn('npx', ['next', 'start', '-p', String(appPort)], {
  env: {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: '1',
    COHORT_DATA_DIR: dataDir,
    DATABASE_URL: `file:${path.join(dataDir, 'cohort.db')}`,
    // Sign-in checks the Origin: the app's public address is the proxy's.
    COHORT_URL: origin,
    COHORT_ADMIN_EMAIL: ADMIN.email,
    COHORT_ADMIN_PASSWORD: ADMIN.password,
    COHORT_DEMO: 'false',
  },
  stdio: 'ignore',
  detached: true,
});
let browser: Browser | undefined;
try {
  await waitForHealth(`http://127.0.0.1:${appPort}/api/health`);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const signedIn = await signIn(browser);
  const files = syntheticCtSeries({ slices: SLICES, spacing: 1.25 });
  const { body, contentType } = stowBody(files);
  const stored = await signedIn.request.post(`${origin}/dicomweb/studies`, { headers: { 'content-type': contentType }, data: Buffer.from(body), timeout: 300_000 });
  if (stored.status() !== 200) throw new Error(`STOW failed: ${stored.status()} ${await stored.text()}`);
  const state = await signedIn.storageState();
  await signedIn.close();

  const db = new Database(path.join(dataDir, 'cohort.db'), { readonly: true });
  const study = db.prepare('SELECT st.id, st.study_instance_uid AS studyUid, se.series_instance_uid AS seriesUid FROM study st JOIN series se ON se.study_id = st.id').get() as {
    id: string;
    studyUid: string;
    seriesUid: string;
  };
  db.close();
  const appUrl = `${origin}/studies/${study.id}/viewer`;
  const bareUrl = `${origin}/bare/index.html?study=${study.studyUid}&series=${study.seriesUid}`;

  /**
   * ms from navigation to the page's first rendered image in a fresh context (cold cache), then again
   * in that context (warm: its scripts and WebAssembly cached).
   */
  const ttfi = async (url: string): Promise<{ cold: number; warm: number }> => {
    const context = await browser!.newContext({ storageState: state });
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      const firstImage = async () => {
        await page.goto(url);
        const handle = await page.waitForFunction(() => performance.getEntriesByName('cohort:first-image')[0]?.startTime, null, { timeout: 60_000 }).catch((err: Error) => {
          throw new Error(`${url} drew no image: ${errors.join('; ') || err.message}`);
        });
        return (await handle.jsonValue()) as number;
      };
      return { cold: await firstImage(), warm: await firstImage() };
    } finally {
      await context.close();
    }
  };
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  // One load of each first, so both meet a warm server (compiled routes, caches) alike.
  await ttfi(appUrl);
  await ttfi(bareUrl);
  const appRuns: { cold: number; warm: number }[] = [];
  const bareRuns: { cold: number; warm: number }[] = [];
  for (let i = 0; i < RUNS; i++) {
    appRuns.push(await ttfi(appUrl));
    bareRuns.push(await ttfi(bareUrl));
  }
  const [appTtfi, appWarm, bareTtfi, bareWarm] = [appRuns.map((r) => r.cold), appRuns.map((r) => r.warm), bareRuns.map((r) => r.cold), bareRuns.map((r) => r.warm)].map(median);

  const context = await browser.newContext({ storageState: state });
  const page = await context.newPage();
  await page.goto(appUrl);
  await page.waitForFunction(() => performance.getEntriesByName('cohort:first-image').length > 0);
  const appScroll = async () => (await page.evaluate(APP_SCROLL)) as number;
  await appScroll(); // loads every slice
  const appFps = await appScroll();
  await page.goto(bareUrl);
  await page.waitForFunction(() => performance.getEntriesByName('cohort:first-image').length > 0);
  await page.evaluate(() => window.bareViewer.scrollAll());
  const bareFps = await page.evaluate(() => window.bareViewer.scrollAll());
  await context.close();

  report([
    entry('viewer.ttfi', 'ms', appTtfi!, 'bare Cornerstone3D page, same image and server', bareTtfi!),
    entry('viewer.ttfi.warm', 'ms', appWarm!, 'bare Cornerstone3D page, same image and server, its files cached', bareWarm!),
    entry('viewer.scroll', 'images/s', appFps, 'bare Cornerstone3D page, same stack', bareFps),
  ]);
} finally {
  await browser?.close();
  proxy.close();
  if (app.pid) process.kill(-app.pid, 'SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
}

declare global {
  interface Window {
    bareViewer: { scrollAll(): Promise<number> };
  }
}

function run(command: string, args: string[]) {
  const result = spawnSync(command, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed`);
}

async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForHealth(url: string) {
  for (let i = 0; i < 240; i++) {
    const ok = await fetch(url)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not come up`);
}

async function signIn(b: Browser): Promise<BrowserContext> {
  const context = await b.newContext();
  const page = await context.newPage();
  await page.goto(`${origin}/sign-in`);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  await page.close();
  return context;
}
