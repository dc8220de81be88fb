import { mkdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { E2E_ADMIN } from '../../playwright.config';
import { Shell, SignInPage } from './pages';

const SCREENSHOTS = 'tests/.artifacts/screenshots';

const PEOPLE = [
  { role: 'admin', email: E2E_ADMIN.email, password: E2E_ADMIN.password, nav: ['Home', 'Studies', 'Projects', 'Models', 'Datasets', 'Ledger', 'Admin'], forbidden: '/me' },
  { role: 'radiologist', email: 'radiologist@demo.cohort.local', password: 'demo-radiologist', nav: ['Home', 'Studies', 'Projects', 'Ledger'], forbidden: '/admin' },
  { role: 'ml_engineer', email: 'ml@demo.cohort.local', password: 'demo-ml-engineer', nav: ['Home', 'Projects', 'Models', 'Datasets', 'Ledger'], forbidden: '/studies' },
  { role: 'patient', email: 'patient@demo.cohort.local', password: 'demo-patient-01', nav: ['Home', 'My studies'], forbidden: '/admin/users' },
  { role: 'radiologist+ml_engineer', email: 'lead@demo.cohort.local', password: 'demo-research-lead', nav: ['Home', 'Studies', 'Projects', 'Models', 'Datasets', 'Ledger'], forbidden: '/me' },
];

test.beforeAll(() => mkdirSync(SCREENSHOTS, { recursive: true }));

for (const person of PEOPLE) {
  test(`${person.role} signs in and sees their own navigation`, async ({ page }, testInfo) => {
    const signIn = new SignInPage(page);
    await signIn.open();
    await signIn.signIn(person.email, person.password);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Welcome');
    const shell = new Shell(page);
    expect(await shell.navLabels()).toEqual(person.nav);

    const file = `${SCREENSHOTS}/navigation-${person.role.replace('+', '-')}.png`;
    await page.screenshot({ path: file, fullPage: true });
    await testInfo.attach(`navigation-${person.role}`, { path: file, contentType: 'image/png' });

    // Every area in the navigation opens and shows what comes next; a foreign one is a clear 403.
    for (const label of person.nav.slice(1)) {
      await shell.nav.getByRole('link', { name: label }).click();
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expect(page.getByText('Something went wrong')).toHaveCount(0);
    }
    const forbidden = await page.goto(person.forbidden);
    expect(forbidden?.status()).toBe(403);
    await expect(page.getByText('not open to your role')).toBeVisible();

    await shell.signOut();
  });
}

test('a signed-out visitor to a deep link signs in and lands on that page', async ({ page }) => {
  await page.goto('/admin/users?role=patient');
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  await new SignInPage(page).signIn(E2E_ADMIN.email, E2E_ADMIN.password);
  await expect(page).toHaveURL(/\/admin\/users\?role=patient$/);
  await expect(page.getByTestId('user-table')).toContainText('patient@demo.cohort.local');
  await expect(page.getByTestId('user-table')).not.toContainText('radiologist@demo.cohort.local');
});

test('a wrong password says so and keeps the visitor on the sign-in page', async ({ page }) => {
  const signIn = new SignInPage(page);
  await signIn.open();
  await signIn.signIn('radiologist@demo.cohort.local', 'not-my-password');
  await expect(signIn.error).toHaveText('Wrong email or password.');
  await expect(page).toHaveURL(/\/sign-in/);
});

test('the theme switch turns dark mode on and remembers it', async ({ page }) => {
  await new SignInPage(page).signInAs('patient@demo.cohort.local', 'demo-patient-01');
  await page.getByRole('radio', { name: 'Dark' }).click();
  await expect(page.locator('html')).toHaveClass(/dark/);
  await page.reload();
  await expect(page.locator('html')).toHaveClass(/dark/);
  await page.getByRole('radio', { name: 'Light' }).click();
  await expect(page.locator('html')).not.toHaveClass(/dark/);
});
