import { describe, expect, it } from 'vitest';
import { safeNextPath } from '@/components/auth/safe-next-path';
import { generateTemporaryPassword } from '@/lib/auth/temporary-password';

describe('safeNextPath', () => {
  it('never redirects off-site after sign-in', () => {
    const bad = [
      'https://evil.example/',
      '//evil.example',
      '/\\evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      '/%09/evil.example'.replace('%09', '\t'),
      ' //evil.example',
      'javascript:alert(1)',
      '',
      null,
      undefined,
    ];
    for (const next of bad) {
      const target = safeNextPath(next);
      expect(new URL(target, 'https://cohort.example').origin, String(next)).toBe('https://cohort.example');
    }
    for (const bad of ['https://evil.example/', '//evil.example', 'javascript:alert(1)', '', null, undefined]) {
      expect(safeNextPath(bad)).toBe('/');
    }
    expect(safeNextPath('/sign-in?next=/admin')).toBe('/');
  });

  it('keeps local paths with their query', () => {
    expect(safeNextPath('/admin/users?role=patient')).toBe('/admin/users?role=patient');
  });
});

describe('generateTemporaryPassword', () => {
  it('is long enough for the password policy, unambiguous, and different every time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const pw = generateTemporaryPassword();
      expect(pw).toMatch(/^([a-hjkmnp-z2-9]{4}-){4}[a-hjkmnp-z2-9]{4}$/);
      expect(pw.length).toBeGreaterThanOrEqual(12);
      seen.add(pw);
    }
    expect(seen.size).toBe(200);
  });
});
