/**
 * Cross-check with the reference implementation (Debian's `age`, FiloSottile/age): files Cohort
 * encrypts open with `age -d -i`, binary and armored, and files `age -r` encrypts open with Cohort's
 * ageDecrypt; identity files from `cohort keygen` and `age-keygen` are interchangeable.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { armor } from '@/lib/keys/age-armor';
import { ageDecrypt } from '@/lib/keys/age-decrypt';
import { ageEncrypt } from '@/lib/keys/age-encrypt';
import { formatIdentityFile, generateIdentity, parseIdentityFile, formatRecipient } from '@/lib/keys/age-keys';
import { CHUNK_SIZE } from '@/lib/keys/age-stream';

const hasAge = !spawnSync('age', ['--version']).error && !spawnSync('age-keygen', ['--version']).error;
const SKIPPED = hasAge ? '' : ' (skipped: Debian package age is not installed; apt-get install age)';
const dir = mkdtempSync(path.join(os.tmpdir(), 'cohort-age-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SIZES = [0, 1, 100, CHUNK_SIZE, CHUNK_SIZE + 1, 3 * CHUNK_SIZE + 5];

describe('Cohort’s age against the age command', () => {
  it.runIf(hasAge)(`files Cohort encrypts open with age -d -i, binary and armored${SKIPPED}`, () => {
    const ours = generateIdentity();
    const identityFile = path.join(dir, 'ours.txt');
    writeFileSync(identityFile, formatIdentityFile(ours), { mode: 0o600 });
    for (const size of SIZES) {
      const plain = randomBytes(size);
      // To two recipients, so age has to find its stanza among others.
      const file = ageEncrypt(plain, [generateIdentity().recipient, ours.recipient]);
      const binary = path.join(dir, `ours-${size}.age`);
      writeFileSync(binary, file);
      expect(execFileSync('age', ['-d', '-i', identityFile, binary]).equals(plain), `${size} bytes`).toBe(true);
      const armored = path.join(dir, `ours-${size}.age.asc`);
      writeFileSync(armored, armor(file));
      expect(execFileSync('age', ['-d', '-i', identityFile, armored]).equals(plain), `${size} bytes armored`).toBe(true);
    }
    // And age refuses another identity, as Cohort does.
    const stranger = path.join(dir, 'stranger.txt');
    writeFileSync(stranger, formatIdentityFile(generateIdentity()), { mode: 0o600 });
    expect(spawnSync('age', ['-d', '-i', stranger, path.join(dir, 'ours-1.age')]).status).not.toBe(0);
  });

  it.runIf(hasAge)(`files age -r encrypts, binary and armored, open with ageDecrypt and an age-keygen identity file${SKIPPED}`, () => {
    const keyFile = path.join(dir, 'theirs.txt');
    execFileSync('age-keygen', ['-o', keyFile], { stdio: 'ignore' });
    const identities = parseIdentityFile(readFileSync(keyFile, 'utf8'));
    const recipient = execFileSync('age-keygen', ['-y', keyFile], { encoding: 'utf8' }).trim();
    expect(formatRecipient(identities[0]!.publicKey)).toBe(recipient);
    for (const size of SIZES) {
      const plain = randomBytes(size);
      const binary = execFileSync('age', ['-r', recipient, '-r', generateIdentity().recipient], { input: plain });
      expect(ageDecrypt(binary, identities).equals(plain), `${size} bytes`).toBe(true);
      const armored = execFileSync('age', ['-a', '-r', recipient], { input: plain });
      expect(armored.toString('latin1')).toMatch(/^-----BEGIN AGE ENCRYPTED FILE-----/);
      expect(ageDecrypt(armored, identities).equals(plain), `${size} bytes armored`).toBe(true);
    }
  });

  it.runIf(hasAge)(`age-keygen -y reads identity files cohort keygen writes, private to their owner${SKIPPED}`, () => {
    const out = path.join(dir, 'cohort-keygen.txt');
    const run = spawnSync('npx', ['tsx', 'scripts/cohort.ts', 'keygen', '--out', out], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const printed = /Public key: (age1[0-9a-z]+)/.exec(run.stderr)?.[1];
    expect(execFileSync('age-keygen', ['-y', out], { encoding: 'utf8' }).trim()).toBe(printed);
    // An identity is never overwritten.
    expect(spawnSync('npx', ['tsx', 'scripts/cohort.ts', 'keygen', '--out', out], { encoding: 'utf8' }).status).toBe(1);
    expect(execFileSync('age-keygen', ['-y', out], { encoding: 'utf8' }).trim()).toBe(printed);
  }, 60_000);
});
