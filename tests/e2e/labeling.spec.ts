import { expect, test, type Page } from '@playwright/test';
import { SignInPage, ViewerPage } from './pages';

const RADIOLOGIST = { email: 'radiologist@demo.cohort.local', password: 'demo-radiologist' };
const DEMO_PROJECT = 'Demo: CT body, lungs and bone';
const DEMO_CT = 'CT CHEST ABDOMEN (synthetic phantom)';

type Saved = { version: number; saved: { contentHash: string; content: { regions: { shape: string; classId: string; points: number[][] }[]; answers: unknown[] }; labelmaps: { counts: Record<string, number> }[] } };

/** Opens the demo CT from the demo project, as a reader does, and waits for the labels panel. */
async function openForLabeling(page: Page) {
  await page.goto('/projects');
  await page.getByRole('link', { name: DEMO_PROJECT }).click();
  const row = page.getByRole('row').filter({ hasText: DEMO_CT });
  await row.getByRole('link', { name: 'Open' }).click();
  const viewer = new ViewerPage(page);
  await expect(page.getByTestId('study-viewer')).toHaveAttribute('data-ready', 'true');
  await viewer.waitForRendered(0);
  await expect(page.getByTestId('labeling-panel')).toHaveAttribute('data-save', 'saved');
  return viewer;
}

test('a radiologist paints, draws a box and a polygon, answers, saves, and gets it all back after a reload', async ({ page }, testInfo) => {
  await new SignInPage(page).signInAs(RADIOLOGIST.email, RADIOLOGIST.password);
  const viewer = await openForLabeling(page);
  const panel = page.getByTestId('labeling-panel');
  const annotationUrl = async () => {
    const res = await page.request.post(`${new URL(page.url()).origin}/api/projects/${new URL(page.url()).searchParams.get('project')}/studies/${page.url().split('/studies/')[1]!.split('/')[0]}/annotation`);
    return (await res.json()) as Saved & { id: string };
  };

  // Brush: the Lung segment, one stroke across the middle.
  await panel.getByRole('button', { name: 'Paint Lung' }).click();
  await page.keyboard.press('b');
  await expect(panel.getByRole('button', { name: 'Brush' })).toHaveAttribute('aria-pressed', 'true');
  await viewer.dragNormalized(0, [0.35, 0.45], [0.6, 0.5]);
  await expect(panel.getByTestId('save-state')).toContainText(/Unsaved|draft/);

  // A box of the Lesion class and a freehand polygon of Organ outline.
  await page.keyboard.press('q');
  await viewer.dragNormalized(0, [0.3, 0.3], [0.4, 0.4]);
  await panel.getByRole('button', { name: 'Draw Organ outline' }).click();
  await page.keyboard.press('y');
  const box = (await viewer.viewport(0).boundingBox())!;
  const at = (x: number, y: number) => [box.x + x * box.width, box.y + y * box.height] as const;
  await page.mouse.move(...at(0.6, 0.6));
  await page.mouse.down();
  for (const [x, y] of [[0.7, 0.6], [0.72, 0.68], [0.66, 0.74], [0.6, 0.7], [0.6, 0.61]] as const) await page.mouse.move(...at(x, y), { steps: 4 });
  await page.mouse.up();

  // The study-level question.
  await panel.getByRole('radio', { name: 'Good' }).check();

  await page.keyboard.press('Control+s');
  await expect(panel.getByTestId('save-state')).toContainText('Saved as version');
  const first = await annotationUrl();
  expect(first.saved.content.regions.map((r) => `${r.shape}:${r.classId}`).sort()).toEqual(['box:lesion', 'polygon:organ_outline']);
  expect(first.saved.content.answers).toEqual([{ questionId: 'image_quality', choiceIds: ['good'] }]);
  const lungVoxels = first.saved.labelmaps[0]!.counts['2']!;
  expect(lungVoxels).toBeGreaterThan(100);
  await testInfo.attach('viewer-labels.png', { body: await page.screenshot(), contentType: 'image/png' });

  // Reload: the same voxels, regions (to the hundredth of a pixel) and answers come back, so saving
  // again without a change stores exactly the same content.
  await page.reload();
  await viewer.waitForRendered(0);
  await expect(panel).toHaveAttribute('data-save', 'saved');
  await expect(panel.getByTestId('segment-voxels-2')).toHaveText(`${lungVoxels.toLocaleString('en')} vx`);
  await expect(panel.getByRole('radio', { name: 'Good' })).toBeChecked();
  await page.keyboard.press('Control+s');
  await expect(panel.getByTestId('save-state')).toContainText(`Saved as version ${first.version + 1}`);
  const again = await annotationUrl();
  expect(again.saved.contentHash).toBe(first.saved.contentHash);
});
