import { describe, expect, it } from 'vitest';
import { areasFor, canAccessArea } from '@/lib/auth/areas';
import { toRoles } from '@/lib/auth/roles';

describe('areas', () => {
  it('gives nothing to a user without roles, and ignores unknown stored roles', () => {
    expect(areasFor([])).toEqual([]);
    expect(toRoles(['superuser', 'patient'])).toEqual(['patient']);
  });

  it('keeps patients out of staff areas and staff out of the patient portal', () => {
    expect(areasFor(['patient']).map((a) => a.key)).toEqual(['me']);
    for (const role of ['admin', 'radiologist', 'ml_engineer'] as const) {
      expect(canAccessArea([role], 'me')).toBe(false);
    }
    expect(canAccessArea(['radiologist'], 'admin')).toBe(false);
    expect(canAccessArea(['ml_engineer'], 'studies')).toBe(false);
  });

  it('shows each role its own areas and unions several roles', () => {
    expect(areasFor(['radiologist']).map((a) => a.key)).toEqual(['studies', 'projects', 'ledger']);
    expect(areasFor(['ml_engineer']).map((a) => a.key)).toEqual(['projects', 'models', 'datasets', 'ledger']);
    expect(areasFor(['admin']).map((a) => a.key)).toEqual(['studies', 'projects', 'models', 'datasets', 'ledger', 'admin']);
    expect(areasFor(['radiologist', 'ml_engineer']).map((a) => a.key)).toEqual([
      'studies',
      'projects',
      'models',
      'datasets',
      'ledger',
    ]);
  });
});
