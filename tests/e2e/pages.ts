import { expect, type Page } from '@playwright/test';

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
