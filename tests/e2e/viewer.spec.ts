import { readFileSync } from 'node:fs';
import { expect, test, type Browser } from '@playwright/test';
import { syntheticCtSeries } from '@/lib/dicom/synthetic-ct';
import { newUid } from '@/lib/dicom/uid';
import { writePart10 } from '@/lib/dicom/write-part10';
import { E2E_ADMIN, E2E_JPIP_PORT } from '../../playwright.config';
import { brokenCodestreamFile, codestreamSeries } from '../helpers/broken-codestream';
import { sample } from '../helpers/dicom-samples';
import { stowBody } from '../helpers/multipart';
import { encodeLossless, jpipReferencedFile, naturalizedFile, oneImageInEveryLosslessSyntax, oneImageInLossySyntaxes } from '../helpers/reencoded-files';
import { startJpipServer } from '../helpers/jpip-server';
import { FRAME_COLOURS, videoFile } from '../helpers/video-files';
import { SignInPage, ViewerPage } from './pages';

const RADIOLOGIST = { email: 'radiologist@demo.cohort.local', password: 'demo-radiologist' };
const DEMO_CT = 'CT CHEST ABDOMEN (synthetic phantom)';

test.beforeEach(async ({ page }) => {
  await new SignInPage(page).signInAs(RADIOLOGIST.email, RADIOLOGIST.password);
});

/** Where the phantom has air (−1000 HU) and muscle (40 HU), ±12 HU noise (lib/dicom/synthetic-ct.ts). */
const AIR: [number, number] = [24, 24];
const MUSCLE: [number, number] = [256, 380];
/** The grey level of `hu` under a window, by the DICOM linear VOI function (PS3.3 C.11.2.1.2.1). */
const grey = (hu: number, width: number, center: number) => 255 * Math.min(1, Math.max(0, (hu - (center - 0.5)) / (width - 1) + 0.5));

test('a radiologist opens the demo CT: the image is drawn, windowed, scrolled and inverted as asked', async ({ page }, testInfo) => {
  const viewer = new ViewerPage(page);
  await viewer.openFromStudyList(DEMO_CT);
  await expect(viewer.viewport(0)).toHaveAttribute('data-image-count', '64');
  await expect(viewer.viewport(0).getByTestId('overlay-image')).toHaveText('Im 33 / 64');
  await expect(viewer.viewport(0).getByTestId('overlay-wl')).toHaveText('W 400  L 40');
  const soft = await viewer.canvasStats(0);
  expect(soft.std, 'the canvas shows an image, not a flat colour').toBeGreaterThan(10);
  expect(soft.nonBlack).toBeGreaterThan(0.1);
  // The file's own window (W 400 L 40): air is black, muscle mid-grey.
  expect(await viewer.luminanceAt(0, AIR)).toBeCloseTo(grey(-1000, 400, 40), -1);
  expect(Math.abs((await viewer.luminanceAt(0, MUSCLE)) - grey(40, 400, 40))).toBeLessThan(8);

  // Lung window: air turns dark grey, soft tissue nearly white.
  await viewer.afterRender(0, () => page.keyboard.press('2'));
  await expect(viewer.viewport(0).getByTestId('overlay-wl')).toHaveText('W 1500  L -600');
  expect(Math.abs((await viewer.luminanceAt(0, AIR)) - grey(-1000, 1500, -600))).toBeLessThan(4);
  expect(Math.abs((await viewer.luminanceAt(0, MUSCLE)) - grey(40, 1500, -600))).toBeLessThan(4);
  const lung = await viewer.canvasStats(0);
  expect(lung.hash).not.toBe(soft.hash);
  await testInfo.attach('viewer-lung-window.png', { body: await page.screenshot(), contentType: 'image/png' });

  // Invert: every grey level g becomes 255 − g.
  await viewer.afterRender(0, () => page.keyboard.press('i'));
  await expect(viewer.viewport(0)).toHaveAttribute('data-invert', 'true');
  expect(Math.abs((await viewer.luminanceAt(0, AIR)) - (255 - grey(-1000, 1500, -600)))).toBeLessThan(4);
  expect(Math.abs((await viewer.luminanceAt(0, MUSCLE)) - (255 - grey(40, 1500, -600)))).toBeLessThan(4);
  await viewer.afterRender(0, () => page.keyboard.press('i'));
  await expect(viewer.viewport(0)).toHaveAttribute('data-invert', 'false');

  await viewer.afterRender(0, () => page.keyboard.press('ArrowDown'));
  await expect(viewer.viewport(0).getByTestId('overlay-image')).toHaveText('Im 34 / 64');
  expect((await viewer.canvasStats(0)).hash).not.toBe(lung.hash);
  await page.keyboard.press('Home');
  await expect(viewer.viewport(0).getByTestId('overlay-image')).toHaveText('Im 1 / 64');
  await page.keyboard.press('End');
  await expect(viewer.viewport(0).getByTestId('overlay-image')).toHaveText('Im 64 / 64');
  const box = (await viewer.viewport(0).boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -300);
  await expect.poll(() => viewer.imageText(0)).not.toBe('Im 64 / 64');

  // Dragging with the left button windows the image.
  await viewer.dragNormalized(0, [0.5, 0.5], [0.7, 0.6]);
  await expect.poll(() => viewer.windowText(0)).not.toBe('W 1500  L -600');

  await viewer.afterRender(0, () => page.keyboard.press('r'));
  await expect(viewer.viewport(0).getByTestId('overlay-wl')).toHaveText('W 400  L 40');
});

test('the page itself starts what the first image waits for: Cornerstone\'s chunks and the first series\' metadata, fetched once', async ({ page }) => {
  const viewer = new ViewerPage(page);
  await viewer.openFromStudyList(DEMO_CT);
  const viewerUrl = page.url();
  const metadataRequests: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/metadata')) metadataRequests.push(request.url());
  });
  await page.goto(viewerUrl);
  await expect(viewer.viewport(0)).toHaveAttribute('data-image-count', '64');
  const preloads = await page.locator('head link[rel="preload"]').evaluateAll((links) => links.map((link) => ({ as: link.getAttribute('as'), href: (link as HTMLLinkElement).href })));
  const chunks = preloads.filter((link) => link.as === 'script' && link.href.includes('/_next/static/chunks/'));
  expect(chunks.length, 'the viewer\'s chunks are asked for by the page').toBeGreaterThan(1);
  // One hint for the first series (React may hoist it twice into the head of a page streamed under load;
  // the browser still fetches it once, as the last check says).
  const metadata = [...new Map(preloads.filter((link) => link.as === 'fetch').map((link) => [link.href, link])).values()];
  expect(metadata).toHaveLength(1);
  expect(metadata[0]!.href).toMatch(/\/dicomweb\/studies\/[\d.]+\/series\/[\d.]+\/metadata$/);
  // The viewer's own fetch is handed the preloaded response: no second download.
  expect(metadataRequests.filter((url) => url === metadata[0]!.href)).toHaveLength(1);
});

test('the stack is prefetched; the overlay names patient, study, series and slice; zoom, pan and reset; Brain window; MR auto window', async ({ page }) => {
  const viewer = new ViewerPage(page);
  const [href] = await viewer.viewerLinks(DEMO_CT);
  const frames = new Set<string>();
  page.on('request', (request) => {
    if (/\/instances\/[\d.]+\/frames\/1$/.test(request.url())) frames.add(request.url());
  });
  await viewer.open(href!);
  await viewer.waitForRendered(0);
  const viewport = viewer.viewport(0);
  // Every slice is fetched while the radiologist is still looking at the first one.
  await expect.poll(() => frames.size, { timeout: 30_000 }).toBe(64);
  await expect(viewer.viewport(0).getByTestId('overlay-image')).toHaveText('Im 33 / 64');

  await expect(viewport.getByTestId('overlay-patient')).toContainText('Phantom, Demo');
  await expect(viewport.getByTestId('overlay-patient')).toContainText('DEMO-CT-0001');
  await expect(viewport.getByTestId('overlay-study')).toContainText(DEMO_CT);
  await expect(viewport.getByTestId('overlay-study')).toContainText('Axial');
  await expect(viewport.getByTestId('overlay-position')).toContainText(/Loc -?\d+\.\d mm/);
  const location = await viewport.getByTestId('overlay-position').innerText();
  await viewer.afterRender(0, () => page.keyboard.press('ArrowDown'));
  await expect(viewport.getByTestId('overlay-position')).not.toHaveText(location);
  await viewer.afterRender(0, () => page.keyboard.press('ArrowUp'));

  const zoomText = async () => (await viewport.getByTestId('overlay-window').innerText()).match(/Zoom (\d+\.\d+)×/)![1]!;
  const fitted = await zoomText();
  const original = (await viewer.canvasStats(0)).hash;
  // Zoom tool: dragging down enlarges the image.
  await page.keyboard.press('z');
  await viewer.afterRender(0, () => viewer.dragNormalized(0, [0.5, 0.3], [0.5, 0.7]));
  await expect.poll(async () => Number(await zoomText())).toBeGreaterThan(Number(fitted));
  // Pan tool: the image moves, the zoom stays.
  const zoomed = await zoomText();
  const beforePan = (await viewer.canvasStats(0)).hash;
  await page.keyboard.press('p');
  await viewer.afterRender(0, () => viewer.dragNormalized(0, [0.5, 0.5], [0.7, 0.6]));
  await expect.poll(async () => (await viewer.canvasStats(0)).hash).not.toBe(beforePan);
  expect(await zoomText()).toBe(zoomed);
  // Reset: the picture as it first appeared.
  await viewer.afterRender(0, () => page.keyboard.press('r'));
  expect(await zoomText()).toBe(fitted);
  await expect.poll(async () => (await viewer.canvasStats(0)).hash).toBe(original);

  // Brain window (W 80 L 40): air black, muscle mid-grey.
  await viewer.afterRender(0, () => page.keyboard.press('4'));
  await expect(viewport.getByTestId('overlay-wl')).toHaveText('W 80  L 40');
  expect(await viewer.luminanceAt(0, AIR)).toBeLessThan(2);
  expect(Math.abs((await viewer.luminanceAt(0, MUSCLE)) - grey(40, 80, 40))).toBeLessThan(30);

  // MR: its intensities have no fixed scale; 0 brings back the image's own window after a CT preset.
  const [mr] = await viewer.viewerLinks('MRI');
  await viewer.open(mr!);
  await viewer.waitForRendered(0);
  const own = await viewer.windowText(0);
  const ownPicture = (await viewer.canvasStats(0)).hash;
  await viewer.afterRender(0, () => page.keyboard.press('1'));
  await expect(viewer.viewport(0).getByTestId('overlay-wl')).toHaveText('W 400  L 40');
  await viewer.afterRender(0, () => page.keyboard.press('0'));
  await expect(viewer.viewport(0).getByTestId('overlay-wl')).toHaveText(own);
  expect((await viewer.canvasStats(0)).hash).toBe(ownPicture);
});

test('an MR image without a window in its header is windowed over its own pixel range, and 0 brings that back after a CT preset', async ({ page, browser }) => {
  const description = `MR without a window ${Date.now()}`;
  const ds = naturalizedFile(readFileSync(sample('valid/dcm_qa_ts/1.dcm')));
  delete ds.WindowCenter;
  delete ds.WindowWidth;
  Object.assign(ds, { StudyInstanceUID: newUid(), SeriesInstanceUID: newUid(), SOPInstanceUID: newUid(), StudyDescription: description });
  const pixels = new Uint16Array(ds.PixelData[0] as ArrayBuffer);
  const [low, high] = pixels.reduce(([lo, hi], v) => [Math.min(lo, v), Math.max(hi, v)], [Infinity, -Infinity]);
  await storeForDemoProject(browser, [writePart10(ds)], description);
  const viewer = new ViewerPage(page);
  await viewer.open((await viewer.viewerLinks(description))[0]!);
  await viewer.waitForRendered(0);
  const wl = viewer.viewport(0).getByTestId('overlay-wl');
  // The whole range, both ends included (Cornerstone's window over min…max), as the overlay rounds it.
  const own = `W ${high - low + 1}  L ${Math.round(low + (high - low + 1) / 2)}`;
  await expect(wl).toHaveText(own);
  expect((await viewer.canvasStats(0)).std).toBeGreaterThan(10);
  await viewer.afterRender(0, () => page.keyboard.press('1'));
  await expect(wl).toHaveText('W 400  L 40');
  await viewer.afterRender(0, () => page.keyboard.press('0'));
  await expect(wl).toHaveText(own);
});

test('layouts and the shortcut help', async ({ page }) => {
  const viewer = new ViewerPage(page);
  await viewer.openFromStudyList(DEMO_CT);
  await viewer.toolbarButton('2×2').click();
  await expect(viewer.viewports).toHaveCount(4);
  // 1×2: two panes side by side, the series still drawn in the first.
  await viewer.toolbarButton('1×2').click();
  await expect(viewer.viewports).toHaveCount(2);
  const [left, right] = [(await viewer.viewport(0).boundingBox())!, (await viewer.viewport(1).boundingBox())!];
  expect(Math.abs(left.y - right.y)).toBeLessThan(2);
  expect(right.x).toBeGreaterThan(left.x + left.width - 2);
  await viewer.waitForRendered(0);
  await viewer.toolbarButton('1×1').click();
  await expect(viewer.viewports).toHaveCount(1);

  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard and mouse' });
  await expect(help).toBeVisible();
  await expect(help).toContainText('Lung (W 1500 L -600)');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
});

test('a series dragged onto an empty viewport, and double-click to make a viewport the only one', async ({ page }) => {
  const viewer = new ViewerPage(page);
  await viewer.openFromStudyList(DEMO_CT);
  await viewer.toolbarButton('2×2').click();
  await expect(viewer.viewports).toHaveCount(4);
  // The demo CT has one series: the other three viewports wait for one.
  await expect(viewer.viewport(3)).toHaveAttribute('data-status', 'empty');
  await expect(viewer.viewport(3)).toContainText('Drag a series here');

  const thumbnail = page.getByTestId('series-thumbnail').first();
  const series = (await thumbnail.getAttribute('data-series'))!;
  await thumbnail.dragTo(viewer.viewport(3));
  await expect(viewer.viewport(3)).toHaveAttribute('data-series', series);
  await viewer.waitForRendered(3);
  await expect(viewer.viewport(3)).toHaveAttribute('data-active', 'true');

  await viewer.viewport(3).dblclick();
  await expect(viewer.viewports).toHaveCount(1);
  await expect(viewer.viewport(0)).toHaveAttribute('data-series', series);
  await viewer.waitForRendered(0);
  await viewer.viewport(0).dblclick();
  await expect(viewer.viewports).toHaveCount(4);
  await expect(viewer.viewport(3)).toHaveAttribute('data-series', series);
});

test('cine plays through the stack and stops', async ({ page }) => {
  const viewer = new ViewerPage(page);
  await viewer.openFromStudyList(DEMO_CT);
  await page.keyboard.press('c');
  await expect(viewer.viewport(0).getByTestId('overlay-wl')).toBeVisible();
  const seen = new Set<string>();
  await expect.poll(async () => seen.add(await viewer.imageText(0)).size, { timeout: 10_000 }).toBeGreaterThan(5);
  await page.keyboard.press('c');
  const stopped = await viewer.imageText(0);
  await page.waitForTimeout(300);
  expect(await viewer.imageText(0)).toBe(stopped);
});

test('every demo series draws, whatever its transfer syntax (JPEG baseline, lossless, LS, 2000, RLE, native)', async ({ page }) => {
  const viewer = new ViewerPage(page);
  for (const search of ['BRAIN', 'MRI', 'Rubo', 'CT CHEST/PLAN', 'SHOULDER', 'e+1']) {
    for (const href of await viewer.viewerLinks(search)) {
      await viewer.open(href);
      const count = await viewer.viewports.count();
      for (let i = 0; i < count; i++) {
        await viewer.waitForRendered(i);
        const stats = await viewer.canvasStats(i);
        expect(stats.std, `${search}, viewport ${i}`).toBeGreaterThan(2);
      }
    }
  }
});

/** Stores files as the admin and adds their study to the demo project (radiologists read their projects' studies). */
async function storeForDemoProject(browser: Browser, files: Uint8Array[], description: string) {
  const admin = await browser.newPage();
  await new SignInPage(admin).signInAs(E2E_ADMIN.email, E2E_ADMIN.password);
  const { body, contentType } = stowBody(files);
  const stored = await admin.request.post('/dicomweb/studies', { headers: { 'content-type': contentType }, data: Buffer.from(body) });
  expect(stored.status()).toBe(200);
  const { projects } = (await (await admin.request.get('/api/projects')).json()) as { projects: { id: string; name: string }[] };
  const demo = projects.find((p) => p.name.startsWith('Demo:'))!;
  const added = await admin.request.post(`/api/projects/${demo.id}/studies`, { data: { query: { description } } });
  // (The project's model, attached by the models spec, may start pre-annotating it: beside the point here.)
  expect(await added.json()).toMatchObject({ added: 1, alreadyIn: 0 });
  await admin.close();
}

test('one image in fourteen lossless transfer syntaxes draws the same picture from each: little, big and implicit endian, deflated data set and deflated frames, RLE, JPEG lossless, JPEG-LS, JPEG 2000 (Part 2 decoded on the server), HTJ2K, JPEG XL', async ({ page, browser }, testInfo) => {
  test.setTimeout(90_000);
  const description = `Every lossless syntax ${Date.now()}`;
  const { files, syntaxes } = await oneImageInEveryLosslessSyntax(sample('valid/dcm_qa_ts'), description);
  expect(new Set(syntaxes)).toEqual(
    new Set(['1.2.840.10008.1.2.1', '1.2.840.10008.1.2', '1.2.840.10008.1.2.2', '1.2.840.10008.1.2.5', '1.2.840.10008.1.2.4.70', '1.2.840.10008.1.2.4.80', '1.2.840.10008.1.2.4.90', '1.2.840.10008.1.2.1.99', '1.2.840.10008.1.2.4.201', '1.2.840.10008.1.2.4.110', '1.2.840.10008.1.2.4.92', '1.2.840.10008.1.2.8.1']),
  );
  // The browser has no JPEG 2000 Part 2 decoder: that frame is asked for decoded, as explicit little endian.
  const part2 = page.waitForRequest((req) => req.url().includes('/frames/') && /transfer-syntax=1\.2\.840\.10008\.1\.2\.1(;|$)/.test(req.headers().accept ?? ''));
  await storeForDemoProject(browser, files, description);
  const viewer = new ViewerPage(page);
  await viewer.open((await viewer.viewerLinks(description))[0]!);
  await viewer.waitForRendered(0);
  const drawn = await viewer.readEachImage(files.length, async (i) => {
    const { hash, std } = await viewer.canvasStats(0);
    return { syntax: syntaxes[i]!, hash, std };
  });
  await testInfo.attach('every-lossless-syntax.png', { body: await page.screenshot(), contentType: 'image/png' });
  expect(new URL((await part2).url()).pathname).toMatch(/\/frames\/1$/);
  // An MR slice, not a flat colour; and the same one from every syntax.
  expect(drawn[0]!.std).toBeGreaterThan(10);
  expect(drawn.filter((d) => d.hash !== drawn[0]!.hash)).toEqual([]);
});

test('the same image in the lossy transfer syntaxes draws nearly the same picture as uncompressed: JPEG extended (12-bit), spectral selection, progressive, JPEG-LS near-lossless, JPEG 2000 (and Part 2, decoded on the server), HTJ2K, JPEG XL', async ({ page, browser }, testInfo) => {
  test.setTimeout(90_000);
  const description = `Every lossy syntax ${Date.now()}`;
  const { files, syntaxes } = await oneImageInLossySyntaxes(sample('valid/dcm_qa_ts'), description, testInfo.outputDir);
  expect(syntaxes).toEqual(['1.2.840.10008.1.2.1', '1.2.840.10008.1.2.4.51', '1.2.840.10008.1.2.4.53', '1.2.840.10008.1.2.4.55', '1.2.840.10008.1.2.4.81', '1.2.840.10008.1.2.4.91', '1.2.840.10008.1.2.4.93', '1.2.840.10008.1.2.4.203', '1.2.840.10008.1.2.4.112']);
  await storeForDemoProject(browser, files, description);
  const viewer = new ViewerPage(page);
  await viewer.open((await viewer.viewerLinks(description))[0]!);
  await viewer.waitForRendered(0);
  const pictures = await viewer.readEachImage(files.length, () => viewer.lumaGrid(0));
  await testInfo.attach('every-lossy-syntax.png', { body: await page.screenshot(), contentType: 'image/png' });
  const [reference] = pictures;
  const mean = reference!.reduce((a, b) => a + b) / reference!.length;
  const spread = Math.sqrt(reference!.reduce((n, v) => n + (v - mean) ** 2, 0) / reference!.length);
  expect(spread, 'the MR slice, not a flat colour').toBeGreaterThan(10);
  // Each lossy picture, cell by cell, within a few grey levels of the uncompressed one.
  const differences = pictures.slice(1).map((p, k) => ({ syntax: syntaxes[k + 1], meanAbs: p.reduce((n, v, c) => n + Math.abs(v - reference![c]!), 0) / p.length }));
  testInfo.annotations.push({ type: 'differences', description: JSON.stringify(differences) });
  expect(differences.filter((d) => !(d.meanAbs < 3))).toEqual([]);
});

test('a video (H.264) plays in the viewer: its frames decoded on the server, each in the colour it was encoded with', async ({ page, browser }, testInfo) => {
  const description = `Endoscopy video ${Date.now()}`;
  const file = videoFile({ codec: 'h264', studyDescription: description, patient: { name: 'Video^Demo', id: `VIDEO-${Date.now()}` } });
  const decoded = page.waitForRequest((req) => req.url().includes('/frames/') && /transfer-syntax=1\.2\.840\.10008\.1\.2\.1(;|$)/.test(req.headers().accept ?? ''));
  await storeForDemoProject(browser, [file], description);
  const viewer = new ViewerPage(page);
  await viewer.open((await viewer.viewerLinks(description))[0]!);
  await viewer.waitForRendered(0);
  await decoded;
  const overlay = viewer.viewport(0).getByTestId('overlay-image');
  // One instance of eight frames: the overlay counts frames.
  if (!(await overlay.textContent())!.startsWith('Im 1 / 8')) await viewer.afterRender(0, () => page.keyboard.press('Home'));
  for (const [i, colour] of FRAME_COLOURS.entries()) {
    if (i > 0) await viewer.afterRender(0, () => page.keyboard.press('ArrowDown'));
    await expect(overlay).toHaveText(`Im ${i + 1} / 8 (frame ${i + 1})`);
    const drawn = await viewer.centreColour(0);
    expect(drawn.every((v, c) => Math.abs(v - colour[c]!) <= 12), `frame ${i + 1}: ${drawn} vs ${colour}`).toBe(true);
    if (i === 2) await testInfo.attach('video-frame-3.png', { body: await page.screenshot(), contentType: 'image/png' });
  }
});

test('a box drawn on frame 3 of a video is saved on that frame, and comes back there after a reload', async ({ page, browser }, testInfo) => {
  const description = `Endoscopy boxes ${Date.now()}`;
  await storeForDemoProject(browser, [videoFile({ codec: 'h264', studyDescription: description, patient: { name: 'Video^Boxes', id: `VIDEO-BOX-${Date.now()}` } })], description);
  const viewer = new ViewerPage(page);
  const overlay = viewer.viewport(0).getByTestId('overlay-image');
  const toFrame = async (frame: number) => {
    await viewer.afterRender(0, () => page.keyboard.press('Home'));
    for (let i = 1; i < frame; i++) await viewer.afterRender(0, () => page.keyboard.press('ArrowDown'));
    await expect(overlay).toHaveText(`Im ${frame} / 8 (frame ${frame})`);
  };
  const boxesShown = () => viewer.viewport(0).locator('svg [data-id]').count();
  await viewer.openForLabeling('Demo: CT body, lungs and bone', description);
  await toFrame(3);
  await page.keyboard.press('q');
  await viewer.dragNormalized(0, [0.4, 0.4], [0.6, 0.6]);
  await expect.poll(boxesShown).toBeGreaterThan(0);
  const saved = page.waitForResponse((r) => r.url().includes('/api/annotations/') && r.request().method() === 'PUT' && r.request().postDataJSON()?.reason === 'save');
  await page.keyboard.press('Control+s');
  expect((await saved).ok()).toBe(true);
  await testInfo.attach('video-box-frame-3.png', { body: await page.screenshot(), contentType: 'image/png' });

  // Stored on frame 3 of the clip, inside its 64×48 picture.
  const url = new URL(page.url());
  const label = (await (await page.request.post(`/api/projects/${url.searchParams.get('project')}/studies/${url.pathname.split('/')[2]}/annotation`)).json()) as {
    saved: { content: { regions: { shape: string; classId: string; frame: number; points: [number, number][] }[] } };
  };
  expect(label.saved.content.regions).toEqual([expect.objectContaining({ shape: 'box', classId: 'lesion', frame: 3 })]);
  for (const [x, y] of label.saved.content.regions[0]!.points) expect(x >= 0 && x <= 64 && y >= 0 && y <= 48, `${x}, ${y}`).toBe(true);

  // After a reload the box is on frame 3, and not on frame 1.
  await page.reload();
  await expect(page.getByTestId('labeling-panel')).toHaveAttribute('data-save', 'saved');
  await viewer.waitForRendered(0);
  await toFrame(3);
  await expect.poll(boxesShown).toBeGreaterThan(0);
  await toFrame(1);
  await expect.poll(boxesShown).toBe(0);
});

test('a video whose stream is corrupt says why in its viewport: the server\'s reason', async ({ page, browser }) => {
  const description = `Corrupt video ${Date.now()}`;
  await storeForDemoProject(browser, [videoFile({ codec: 'h264', studyDescription: description, stream: Buffer.alloc(4000, 0x5a) })], description);
  const viewer = new ViewerPage(page);
  await viewer.open((await viewer.viewerLinks(description))[0]!);
  await expect(viewer.viewport(0)).toHaveAttribute('data-status', 'error', { timeout: 30_000 });
  await expect(viewer.viewport(0).getByTestId('viewport-error')).toContainText('The video could not be decoded (MPEG-4 AVC/H.264 High Profile / Level 4.1)');
});

test('a series no decoder can read says so in its viewport instead of a blank canvas', async ({ page, browser }) => {
  const description = `Broken codestream ${Date.now()}`;
  await storeForDemoProject(browser, [brokenCodestreamFile(description)], description);

  const viewer = new ViewerPage(page);
  await viewer.open((await viewer.viewerLinks(description))[0]!);
  await expect(viewer.viewport(0)).toHaveAttribute('data-status', 'error', { timeout: 30_000 });
  await expect(viewer.viewport(0)).toContainText('This series cannot be displayed.');
  await expect(viewer.viewport(0).getByTestId('viewport-error')).not.toBeEmpty();
});

test('a JPIP-referenced image is drawn from its JPIP server: the same picture as the image stored whole', async ({ page, browser }, testInfo) => {
  const description = `JPIP drawn ${Date.now()}`;
  const mr = naturalizedFile(readFileSync(sample('valid/dcm_qa_ts/1.dcm')));
  const size = { columns: mr.Columns as number, rows: mr.Rows as number };
  const codestream = await encodeLossless(new Uint8Array(mr.PixelData[0] as ArrayBuffer), { width: size.columns, height: size.rows, bitsPerSample: 16 }, 'jpeg-2000');
  const server = await startJpipServer({ 'mr.j2k': { codestream, ...size } }, { port: E2E_JPIP_PORT });
  try {
    const [study, series] = [newUid(), newUid()];
    const inSeries = (instance: number) => <T extends object>(ds: T) => Object.assign(ds, { StudyInstanceUID: study, SeriesInstanceUID: series, SOPInstanceUID: newUid(), InstanceNumber: instance, StudyDescription: description });
    const whole = writePart10(inSeries(1)({ ...mr }));
    const referenced = jpipReferencedFile(whole, `${server.origin}/jpip?target=mr.j2k`, inSeries(2));
    await storeForDemoProject(browser, [whole, referenced], description);
    const viewer = new ViewerPage(page);
    await viewer.open((await viewer.viewerLinks(description))[0]!);
    await viewer.waitForRendered(0);
    const drawn = await viewer.readEachImage(2, () => viewer.canvasStats(0));
    await testInfo.attach('jpip-referenced.png', { body: await page.screenshot(), contentType: 'image/png' });
    expect(drawn[0]!.std, 'the MR slice, not a flat colour').toBeGreaterThan(10);
    expect(drawn[1]!.hash).toBe(drawn[0]!.hash);
    expect(server.requests.map((r) => r.searchParams.get('type'))).toContain('jpt-stream');
  } finally {
    await server.close();
  }
});

test('a JPIP-referenced image says in its viewport which JPIP server holds its pixels', async ({ page, browser }) => {
  const description = `JPIP referenced ${Date.now()}`;
  const url = 'https://jpip.hospital.example/jpip?target=ct-1.jp2';
  const [ct] = syntheticCtSeries({ slices: 1, studyDescription: description, patient: { name: 'Jpip^Referenced', id: `JPIP-${Date.now()}`, birthDate: '19700101', sex: 'O' } });
  await storeForDemoProject(browser, [jpipReferencedFile(ct!, url)], description);
  const viewer = new ViewerPage(page);
  await viewer.open((await viewer.viewerLinks(description))[0]!);
  await expect(viewer.viewport(0)).toHaveAttribute('data-status', 'error', { timeout: 30_000 });
  await expect(viewer.viewport(0).getByTestId('viewport-error')).toContainText(`they are on a JPIP server (${url})`);
});

test('an unreadable image among readable ones: its message, then the image scrolled to drawn', async ({ page, browser }) => {
  const description = `Partly broken ${Date.now()}`;
  // Readable, unreadable, readable: the viewer opens on the middle one.
  await storeForDemoProject(browser, codestreamSeries(description, [false, true, false]), description);
  const viewer = new ViewerPage(page);
  await viewer.open((await viewer.viewerLinks(description))[0]!);
  await expect(viewer.viewport(0)).toHaveAttribute('data-status', 'error', { timeout: 30_000 });
  await expect(viewer.viewport(0)).toContainText('Scroll with the wheel to try its other 2 images.');
  // The wheel is a mouse tool: they load after the first image settles (here: fails).
  await expect(page.getByTestId('study-viewer')).toHaveAttribute('data-tools-ready', 'true');
  const box = (await viewer.viewport(0).boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, 120);
  await expect(viewer.viewport(0)).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  expect((await viewer.canvasStats(0)).std).toBeGreaterThan(5);
});

test('MPR: axial, sagittal and coronal of the demo CT, linked by crosshairs', async ({ page }, testInfo) => {
  const viewer = new ViewerPage(page);
  await viewer.openFromStudyList(DEMO_CT);
  await expect(viewer.toolbarButton('MPR')).toBeEnabled();
  await page.keyboard.press('m');
  await expect(page.getByTestId('mpr')).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  for (const o of ['axial', 'sagittal', 'coronal'] as const) {
    await expect(viewer.mprViewport(o)).not.toHaveAttribute('data-renders', '0');
  }
  // The volume streams in: wait until the sagittal plane shows the whole body, top to bottom.
  await expect.poll(async () => (await viewer.canvasStats(viewer.mprViewport('sagittal'))).nonBlack, { timeout: 20_000 }).toBeGreaterThan(0.05);
  const sagittal = await viewer.canvasStats(viewer.mprViewport('sagittal'));
  const coronal = await viewer.canvasStats(viewer.mprViewport('coronal'));
  expect(sagittal.std).toBeGreaterThan(10);
  expect(coronal.std).toBeGreaterThan(10);
  await testInfo.attach('viewer-mpr.png', { body: await page.screenshot(), contentType: 'image/png' });

  // Dragging the crosshairs' centre in the axial plane moves the sagittal plane through the body.
  await viewer.dragNormalized(viewer.mprViewport('axial'), [0.5, 0.5], [0.35, 0.5]);
  await expect.poll(async () => (await viewer.canvasStats(viewer.mprViewport('sagittal'))).hash).not.toBe(sagittal.hash);

  // Presets window all three planes.
  await page.keyboard.press('3');
  for (const o of ['axial', 'sagittal', 'coronal'] as const) await expect(viewer.mprViewport(o).getByTestId('overlay-wl')).toHaveText('W 1800  L 400');

  await page.keyboard.press('m');
  await expect(page.getByTestId('mpr')).toHaveCount(0);
  await viewer.waitForRendered(0);
});

test('patients and ML engineers get a 403 for the reading viewer; a patient\'s own viewer and DICOMweb open only their own study', async ({ page, browser }) => {
  const viewer = new ViewerPage(page);
  const [href] = await viewer.viewerLinks(DEMO_CT);
  const [thumbnail] = await page.getByRole('link', { name: /in the viewer/ }).locator('img').evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).src));
  // The demo patient owns the demo CT: they read it in their own read-only viewer (patient-access.spec.ts); another
  // patient's study is a 404 to them (below, and route-matrix.test.ts).
  for (const person of [
    { email: 'patient@demo.cohort.local', password: 'demo-patient-01', thumbnail: 200 },
    { email: 'ml@demo.cohort.local', password: 'demo-ml-engineer', thumbnail: 403 },
  ]) {
    const other = await browser.newPage();
    await new SignInPage(other).signInAs(person.email, person.password);
    const res = await other.goto(href!);
    expect(res?.status(), person.email).toBe(403);
    await expect(other.getByTestId('study-viewer')).toHaveCount(0);
    expect((await other.request.get(thumbnail!)).status(), `${person.email}: thumbnail`).toBe(person.thumbnail);
    await other.close();
  }

  // Another patient's real study: not in the patient's own viewer either, and not over DICOMweb.
  const [brainHref] = await viewer.viewerLinks('BRAIN');
  const [brainThumbnail] = await page.getByRole('link', { name: /in the viewer/ }).locator('img').evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).src));
  const patient = await browser.newPage();
  await new SignInPage(patient).signInAs('patient@demo.cohort.local', 'demo-patient-01');
  const own = await patient.goto(brainHref!.replace(/^\/studies\//, '/me/studies/'));
  expect(own?.status()).toBe(404);
  await expect(patient.getByTestId('study-viewer')).toHaveCount(0);
  expect((await patient.request.get(brainThumbnail!)).status()).toBe(404);
  await patient.close();
});
