import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getSecrets } from '@/lib/config/secrets';

const tempDir = () => mkdtempSync(path.join(os.tmpdir(), 'cohort-secrets-'));

describe('getSecrets', () => {
  it('refuses a corrupted secrets file instead of silently replacing it', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'secrets.json'), JSON.stringify({ authSecret: 'short' }));
    expect(() => getSecrets(dir)).toThrow(/not a valid secrets file/);
  });

  it('generates a secret once, private to the owner, and reuses it', () => {
    const dir = path.join(tempDir(), 'nested', 'data');
    const first = getSecrets(dir);
    expect(first.authSecret.length).toBeGreaterThanOrEqual(43);
    const file = path.join(dir, 'secrets.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(getSecrets(dir)).toEqual(first);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(first);
    expect(getSecrets(tempDir()).authSecret).not.toBe(first.authSecret);
  });
});
