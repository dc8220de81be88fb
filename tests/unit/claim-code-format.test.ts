import { describe, expect, it } from 'vitest';
import { claimCodeHash, newClaimCode, normalizeClaimCode } from '@/lib/patients/claim-code-format';

describe('claim codes', () => {
  it('are 16 symbols of Crockford base32 in groups of four, never the same twice', () => {
    const codes = new Set(Array.from({ length: 1000 }, newClaimCode));
    expect(codes.size).toBe(1000);
    for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
  });

  it('read as typed: any case, spaces or dashes, O as 0 and I or L as 1; anything else is not a code', () => {
    expect(normalizeClaimCode('7kq3 m9xd-2hrt bw4n')).toBe('7KQ3M9XD2HRTBW4N');
    expect(normalizeClaimCode('O1IL-0000-1111-2222')).toBe('0111000011112222');
    expect(normalizeClaimCode('7KQ3-M9XD-2HRT')).toBeNull();
    expect(normalizeClaimCode('7KQ3-M9XD-2HRT-BW4U')).toBeNull(); // U is not in the alphabet
    expect(claimCodeHash('7KQ3M9XD2HRTBW4N')).toMatch(/^[0-9a-f]{64}$/);
  });
});
