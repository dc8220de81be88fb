import { expect, test } from '@playwright/test';
import { E2E_ADMIN } from '../../playwright.config';
import { Shell, SignInPage } from './pages';

test('an admin creates a user, who replaces the temporary password and is later deactivated', async ({ page, browser }) => {
  await new SignInPage(page).signInAs(E2E_ADMIN.email, E2E_ADMIN.password);

  // Create: a radiologist who is also an ML engineer.
  await page.goto('/admin/users/new');
  await page.getByRole('button', { name: 'Create user' }).click();
  await expect(page.getByText('Enter a name')).toBeVisible(); // nothing filled in: field errors, nothing created
  await page.getByLabel('Full name').fill('Rosalind Franklin');
  await page.getByLabel('Email').fill('rosalind@e2e.local');
  await page.getByRole('checkbox', { name: /^Radiologist/ }).check();
  await page.getByRole('checkbox', { name: /^ML engineer/ }).check();
  await page.getByRole('button', { name: 'Create user' }).click();
  const temporary = (await page.getByTestId('temporary-password').innerText()).trim();
  expect(temporary).toMatch(/^([a-z2-9]{4}-){4}[a-z2-9]{4}$/);

  // The new user signs in with it and must choose their own password first.
  const theirs = await browser.newContext();
  const them = await theirs.newPage();
  const theirSignIn = new SignInPage(them);
  await theirSignIn.open();
  await theirSignIn.signIn('rosalind@e2e.local', temporary);
  await expect(them).toHaveURL(/\/account\/password/);
  expect(await new Shell(them).navLabels()).toEqual(['Home']);
  await them.goto('/studies');
  await expect(them).toHaveURL(/\/account\/password/);
  await them.getByLabel('Temporary password').fill(temporary);
  await them.getByLabel('New password', { exact: true }).fill('double-helix-photo-51');
  await them.getByLabel('New password again').fill('double-helix-photo-51');
  await them.getByRole('button', { name: 'Change password' }).click();
  await expect(them.getByRole('heading', { level: 1 })).toContainText('Welcome, Rosalind');
  expect(await new Shell(them).navLabels()).toEqual(['Home', 'Studies', 'Projects', 'Models', 'Datasets', 'Ledger']);

  // The admin deactivates them; their open session stops working at once.
  await page.goto('/admin/users?q=rosalind');
  await page.getByRole('link', { name: 'Rosalind Franklin' }).click();
  await page.getByRole('button', { name: 'Deactivate' }).click();
  await expect(page.getByText('Deactivated and signed out.')).toBeVisible();
  await them.goto('/studies');
  await expect(them).toHaveURL(/\/sign-in/);
  await theirSignIn.signIn('rosalind@e2e.local', 'double-helix-photo-51');
  await expect(theirSignIn.error).toContainText('deactivated');
  await theirs.close();
});

test('an admin cannot deactivate or demote themselves', async ({ page }) => {
  await new SignInPage(page).signInAs(E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto('/admin/users?q=admin%40e2e');
  await page.getByRole('link', { name: 'Administrator' }).click();
  await expect(page.getByRole('button', { name: 'Deactivate' })).toHaveCount(0);
  await page.getByRole('checkbox', { name: /^Admin/ }).uncheck();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Choose at least one role')).toBeVisible();
  await page.getByRole('checkbox', { name: /^Radiologist/ }).check();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.locator('form [role="alert"]')).toContainText('cannot remove your own admin role');
});

test('an announcement reaches the chosen role\'s inbox', async ({ page, browser }) => {
  await new SignInPage(page).signInAs(E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto('/admin/announcements');
  await page.getByLabel('Title').fill('PACS maintenance Sunday');
  await page.getByLabel('Message').fill('Imports pause from 02:00 to 04:00.');
  await page.getByRole('checkbox', { name: /^Radiologist/ }).check();
  await page.getByRole('button', { name: 'Send announcement' }).click();
  await expect(page.getByText(/Sent to \d+ users?\./)).toBeVisible();

  const ctx = await browser.newContext();
  const rad = await ctx.newPage();
  await new SignInPage(rad).signInAs('radiologist@demo.cohort.local', 'demo-radiologist');
  await rad.getByRole('link', { name: /Notifications/ }).first().click();
  await expect(rad.getByText('PACS maintenance Sunday')).toBeVisible();
  await rad.getByRole('button', { name: 'Mark all read' }).click();
  await expect(rad.getByRole('button', { name: 'Mark all read' })).toHaveCount(0);
  await ctx.close();
});

test('the admin overview warns while demo accounts with public passwords are active', async ({ page }) => {
  await new SignInPage(page).signInAs(E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto('/admin');
  await expect(page.getByTestId('demo-warning')).toContainText(/demo accounts? (is|are) active/);
  await expect(page.getByTestId('system-health')).toContainText('Database (sqlite)');
  await expect(page.getByTestId('system-health')).toContainText('Video decodingffmpeg');
});
