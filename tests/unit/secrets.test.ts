import { mkdtempSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatedSecret } from '@/lib/config/secrets';

const tempDir = () => mkdtempSync(path.join(os.tmpdir(), 'cohort-secrets-'));
let n = 0;
const create = () => `generated-${++n}-${'x'.repeat(40)}`;

describe('generatedSecret', () => {
  it('refuses an empty secret file instead of silently replacing it', () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'secrets'));
    writeFileSync(path.join(dir, 'secrets', 'auth-secret'), '\n');
    expect(() => generatedSecret('auth-secret', create, { dataDir: dir })).toThrow(/is empty/);
  });

  it('prefers the environment and then writes nothing', () => {
    const dir = tempDir();
    expect(generatedSecret('auth-secret', create, { dataDir: dir, fromEnv: 'from-env' })).toBe('from-env');
    expect(() => statSync(path.join(dir, 'secrets', 'auth-secret'))).toThrow();
  });

  it('generates a secret once, private to the owner, and reuses it', () => {
    const dir = path.join(tempDir(), 'nested', 'data');
    const first = generatedSecret('auth-secret', create, { dataDir: dir });
    const file = path.join(dir, 'secrets', 'auth-secret');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(generatedSecret('auth-secret', create, { dataDir: dir })).toBe(first);
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
    expect(generatedSecret('other', create, { dataDir: dir })).not.toBe(first);
  });
});
