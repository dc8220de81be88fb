import { describe, expect, it } from 'vitest';
import { SHARE_LIMITS, takeShareRequest } from '@/lib/share-links/share-rate-limit';

describe('share link throttle', () => {
  it('lets a viewer load hundreds of frames, caps the requests of a minute, and starts afresh the next', () => {
    const t0 = Date.UTC(2026, 10, 29, 12, 0, 0);
    let allowed = 0;
    for (let i = 0; i < SHARE_LIMITS.requestsPerMinute + 50; i++) if (takeShareRequest('link-a', '10.0.0.1', t0 + i)) allowed++;
    expect(allowed).toBe(SHARE_LIMITS.requestsPerMinute);
    expect(takeShareRequest('link-a', '10.0.0.1', t0 + 60_000)).toBe(true);
  });

  it('caps the distinct addresses of ten minutes, per link', () => {
    const t0 = Date.UTC(2026, 10, 29, 13, 0, 0);
    const from = (n: number) => takeShareRequest('link-b', `10.1.0.${n}`, t0);
    for (let n = 0; n < SHARE_LIMITS.addressesPer10Minutes; n++) expect(from(n)).toBe(true);
    expect(from(99)).toBe(false);
    expect(from(0)).toBe(true);
    expect(takeShareRequest('link-c', '10.1.0.99', t0)).toBe(true);
    expect(takeShareRequest('link-b', '10.1.0.99', t0 + 600_000)).toBe(true);
  });
});
