import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** The route groups of signed-in pages: the app with its navigation, and the full-window viewer. */
const GROUPS = ['(app)', '(viewer)'].map((g) => path.join(process.cwd(), 'app', g));

/** What each signed-in page must pass to requirePageUser. Pages open to any signed-in user: ''. */
const EXPECTED_GUARD: Record<string, string> = {
  'page.tsx': '',
  'account/page.tsx': '',
  'account/password/page.tsx': 'allowPendingPasswordChange: true',
  'account/tokens/page.tsx': 'roles: ACCESS_TOKEN_ROLES',
  'notifications/page.tsx': '',
  'studies/page.tsx': "area: 'studies'",
  'studies/[studyId]/page.tsx': "area: 'studies'",
  'studies/[studyId]/viewer/page.tsx': "area: 'studies'",
  'studies/upload/page.tsx': "roles: ['admin']",
  'projects/page.tsx': "area: 'projects'",
  'projects/new/page.tsx': "area: 'projects', roles: ['ml_engineer', 'admin']",
  'projects/[projectId]/page.tsx': "area: 'projects'",
  'projects/[projectId]/studies/[studyId]/page.tsx': "area: 'projects'",
  'projects/[projectId]/agreement/page.tsx': "area: 'projects'",
  'models/page.tsx': "area: 'models'",
  'datasets/page.tsx': "area: 'datasets'",
  'datasets/new/page.tsx': "area: 'datasets'",
  'datasets/[datasetId]/page.tsx': "area: 'datasets'",
  'datasets/[datasetId]/edit/page.tsx': "area: 'datasets'",
  'ledger/page.tsx': "area: 'ledger'",
  'me/page.tsx': "area: 'me'",
  'me/studies/[studyId]/viewer/page.tsx': "area: 'me'",
  'admin/page.tsx': "area: 'admin'",
  'admin/users/page.tsx': "area: 'admin'",
  'admin/users/new/page.tsx': "area: 'admin'",
  'admin/users/[userId]/page.tsx': "area: 'admin'",
  'admin/settings/page.tsx': "area: 'admin'",
  'admin/announcements/page.tsx': "area: 'admin'",
  'admin/pacs/page.tsx': "area: 'admin'",
  'admin/patients/page.tsx': "area: 'admin'",
  'admin/access-log/page.tsx': "area: 'admin'",
};

function pages(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? pages(full) : e.name === 'page.tsx' ? [full] : [];
  });
}

describe('signed-in pages', () => {
  it('each guards itself with the right requirePageUser call (layouts do not re-run on client navigation)', () => {
    const files = new Map(GROUPS.flatMap((group) => pages(group).map((f) => [path.relative(group, f), f] as const)));
    const found = [...files.keys()];
    expect(found.sort()).toEqual(Object.keys(EXPECTED_GUARD).sort());
    for (const page of found) {
      const source = readFileSync(files.get(page)!, 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '');
      const call = source.match(/await requirePageUser\(([^)]*)\)/);
      expect(call, page).not.toBeNull();
      const args = call![1]!.replace(/[{}\s]/g, '');
      expect(args, page).toBe(EXPECTED_GUARD[page]!.replace(/\s/g, ''));
    }
  });
});
