import { expect, type Locator, type Page } from '@playwright/test';

/** The sign-in page, as a person uses it. */
export class SignInPage {
  constructor(readonly page: Page) {}

  async open(path = '/sign-in') {
    await this.page.goto(path);
    await expect(this.page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  }

  async signIn(email: string, password: string) {
    await this.page.getByLabel('Email').fill(email);
    await this.page.getByLabel('Password').fill(password);
    await this.page.getByRole('button', { name: 'Sign in' }).click();
  }

  /** Signs in and waits until the app frame is shown (the session cookie is set by then). */
  async signInAs(email: string, password: string) {
    await this.open();
    await this.signIn(email, password);
    await expect(this.page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  }

  /** The form's own message (not Next's empty route announcer, which is also an alert). */
  get error() {
    return this.page.locator('form [role="alert"]');
  }
}

/** The signed-in frame: navigation, account controls. */
export class Shell {
  constructor(readonly page: Page) {}

  get nav() {
    return this.page.getByRole('navigation', { name: 'Main' });
  }

  async navLabels(): Promise<string[]> {
    return (await this.nav.getByRole('link').allInnerTexts()).map((t) => t.trim());
  }

  async signOut() {
    await this.page.getByRole('button', { name: 'Sign out' }).first().click();
    await expect(this.page).toHaveURL(/\/sign-in/);
  }
}

/** The study viewer: its viewports, toolbar and what they draw. */
export class ViewerPage {
  constructor(readonly page: Page) {}

  /** The viewer links of the study list rows matching a search. */
  async viewerLinks(search: string): Promise<string[]> {
    await this.page.goto(`/studies?q=${encodeURIComponent(search)}`);
    const links = this.page.getByRole('link', { name: /in the viewer/ });
    await expect(links.first()).toBeVisible();
    return Promise.all((await links.all()).map(async (l) => (await l.getAttribute('href'))!));
  }

  /** Opens a study's viewer from the study list (its first match) and waits until the first viewport has drawn an image. */
  async openFromStudyList(search: string) {
    await this.open((await this.viewerLinks(search))[0]!);
    await this.waitForRendered(0);
  }

  async open(href: string) {
    await this.page.goto(href);
    await expect(this.page.getByTestId('study-viewer')).toHaveAttribute('data-ready', 'true');
  }

  /** Opens a study from a project's list, as a reader does, and waits until its labels are loaded. */
  async openForLabeling(project: string, study: string) {
    await this.page.goto('/projects');
    await this.page.getByRole('link', { name: project }).click();
    await this.page.getByRole('row').filter({ hasText: study }).getByRole('link', { name: 'Open' }).click();
    await expect(this.page.getByTestId('study-viewer')).toHaveAttribute('data-ready', 'true');
    await this.waitForRendered(0);
    await expect(this.page.getByTestId('labeling-panel')).toHaveAttribute('data-save', 'saved');
  }

  get viewports() {
    return this.page.getByTestId('viewport');
  }

  viewport(i: number) {
    return this.viewports.nth(i);
  }

  get active() {
    return this.page.locator('[data-testid="viewport"][data-active="true"]');
  }

  /** Waits until viewport i has drawn its image and the mouse tools (loaded after it) are there. */
  async waitForRendered(i: number) {
    await expect(this.viewport(i)).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
    await expect(this.viewport(i)).not.toHaveAttribute('data-renders', '0');
    await expect(this.page.getByTestId('study-viewer')).toHaveAttribute('data-tools-ready', 'true');
  }

  /** Waits for the active viewport to draw again after `action`. */
  async afterRender(i: number, action: () => Promise<void>) {
    const before = Number(await this.viewport(i).getAttribute('data-renders'));
    await action();
    await expect.poll(async () => Number(await this.viewport(i).getAttribute('data-renders'))).toBeGreaterThan(before);
  }

  /**
   * Steps the first viewport through its `count` images from the first, one ↓ at a time, and reads
   * each once it is shown and drawn.
   */
  async readEachImage<T>(count: number, read: (i: number) => Promise<T>): Promise<T[]> {
    const overlay = this.viewport(0).getByTestId('overlay-image');
    // It opens on the middle image: back to the first.
    if ((await overlay.textContent()) !== `Im 1 / ${count}`) await this.afterRender(0, () => this.page.keyboard.press('Home'));
    const values: T[] = [];
    for (let i = 0; i < count; i++) {
      if (i > 0) await this.afterRender(0, () => this.page.keyboard.press('ArrowDown'));
      await expect(overlay).toHaveText(`Im ${i + 1} / ${count}`);
      await expect(this.viewport(0)).toHaveAttribute('data-status', 'ready');
      values.push(await read(i));
    }
    return values;
  }

  /** Mean and spread of the viewport's canvas luminance, and a fingerprint of what is drawn. */
  async canvasStats(i: number | Locator): Promise<{ mean: number; std: number; nonBlack: number; hash: number }> {
    return (typeof i === 'number' ? this.viewport(i) : i)
      .locator('canvas')
      .first()
      .evaluate((canvas: HTMLCanvasElement) => {
        const ctx = canvas.getContext('2d');
        if (!ctx) throw new Error('The viewport canvas is not a 2D canvas.');
        const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
        let sum = 0;
        let sumSq = 0;
        let nonBlack = 0;
        let hash = 0;
        const n = data.length / 4;
        for (let p = 0; p < data.length; p += 4) {
          const y = 0.299 * data[p]! + 0.587 * data[p + 1]! + 0.114 * data[p + 2]!;
          sum += y;
          sumSq += y * y;
          if (y > 8) nonBlack++;
          hash = (hash * 31 + data[p]!) | 0;
        }
        const mean = sum / n;
        return { mean, std: Math.sqrt(Math.max(0, sumSq / n - mean * mean)), nonBlack: nonBlack / n, hash };
      });
  }

  /** The canvas's mean luminance in each cell of a `cells`×`cells` grid, row by row: a picture to compare with another, give or take compression. */
  async lumaGrid(i: number, cells = 32): Promise<number[]> {
    return this.viewport(i)
      .locator('canvas')
      .first()
      .evaluate((canvas: HTMLCanvasElement, n: number) => {
        const { data, width, height } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
        const sums = new Float64Array(n * n);
        const counts = new Float64Array(n * n);
        for (let y = 0; y < height; y++) {
          for (let x = 0; x < width; x++) {
            const p = 4 * (y * width + x);
            const cell = Math.floor((y * n) / height) * n + Math.floor((x * n) / width);
            sums[cell]! += 0.299 * data[p]! + 0.587 * data[p + 1]! + 0.114 * data[p + 2]!;
            counts[cell]!++;
          }
        }
        return Array.from(sums, (sum, c) => sum / counts[c]!);
      }, cells);
  }

  /** Mean RGB of a 9×9 patch at the canvas's centre. */
  async centreColour(i: number): Promise<number[]> {
    return this.viewport(i)
      .locator('canvas')
      .first()
      .evaluate((canvas: HTMLCanvasElement) => {
        const { data } = canvas.getContext('2d')!.getImageData(Math.round(canvas.width / 2) - 4, Math.round(canvas.height / 2) - 4, 9, 9);
        const sum = [0, 0, 0];
        for (let p = 0; p < data.length; p += 4) for (let c = 0; c < 3; c++) sum[c]! += data[p + c]!;
        return sum.map((v) => Math.round(v / (data.length / 4)));
      });
  }

  /** Fraction of the canvas in colour (labels): the images themselves are greyscale. */
  async colouredFraction(target: Locator): Promise<number> {
    return target
      .locator('canvas')
      .first()
      .evaluate((canvas: HTMLCanvasElement) => {
        const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
        let coloured = 0;
        for (let p = 0; p < data.length; p += 4) if (Math.max(data[p]!, data[p + 1]!, data[p + 2]!) - Math.min(data[p]!, data[p + 1]!, data[p + 2]!) > 40) coloured++;
        return coloured / (data.length / 4);
      });
  }

  /**
   * Mean luminance of a 5×5 patch of the canvas at image pixel (x, y) of a square `size`² image shown
   * to fit (as opened or after reset: centred, no pan, no zoom).
   */
  async luminanceAt(i: number, [x, y]: [number, number], size = 512): Promise<number> {
    return this.viewport(i)
      .locator('canvas')
      .first()
      .evaluate(
        (canvas: HTMLCanvasElement, { x, y, size }) => {
          const side = Math.min(canvas.width, canvas.height);
          const scale = side / size;
          const cx = Math.round((canvas.width - side) / 2 + (x + 0.5) * scale);
          const cy = Math.round((canvas.height - side) / 2 + (y + 0.5) * scale);
          const { data } = canvas.getContext('2d')!.getImageData(cx - 2, cy - 2, 5, 5);
          let sum = 0;
          for (let p = 0; p < data.length; p += 4) sum += 0.299 * data[p]! + 0.587 * data[p + 1]! + 0.114 * data[p + 2]!;
          return sum / (data.length / 4);
        },
        { x, y, size },
      );
  }

  async windowText(i: number) {
    return (await this.viewport(i).getByTestId('overlay-wl').innerText()).trim();
  }

  async imageText(i: number) {
    return (await this.viewport(i).getByTestId('overlay-image').innerText()).trim();
  }

  mprViewport(orientation: 'axial' | 'sagittal' | 'coronal') {
    return this.page.locator(`[data-testid="mpr-viewport"][data-orientation="${orientation}"]`);
  }

  toolbarButton(name: string | RegExp) {
    return this.page.getByRole('toolbar', { name: 'Viewer tools' }).getByRole('button', { name });
  }

  /** Drags on a viewport between two points given as fractions of its size. */
  async dragNormalized(i: number | Locator, from: [number, number], to: [number, number], button: 'left' | 'middle' | 'right' = 'left') {
    const box = (await (typeof i === 'number' ? this.viewport(i) : i).boundingBox())!;
    const at = ([x, y]: [number, number]) => [box.x + x * box.width, box.y + y * box.height] as const;
    await this.page.mouse.move(...at(from));
    await this.page.mouse.down({ button });
    for (let k = 1; k <= 8; k++) {
      await this.page.mouse.move(at(from)[0] + ((at(to)[0] - at(from)[0]) * k) / 8, at(from)[1] + ((at(to)[1] - at(from)[1]) * k) / 8);
    }
    await this.page.mouse.up({ button });
  }
}
