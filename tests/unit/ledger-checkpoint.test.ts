import { describe, expect, it } from 'vitest';
import {
  CheckpointError,
  formatCheckpoint,
  openCheckpoint,
  parseCheckpoint,
  signCheckpoint,
} from '@/lib/ledger/checkpoint';
import { NoteError, generateSignerKey, parseSignerKey, parseVerifierKey } from '@/lib/ledger/signed-note';
import { LEDGER_VECTORS } from '../helpers/ledger-vectors';

interface CheckpointVectors {
  checkpoint_bodies: {
    cases: {
      desc: string;
      text: string;
      c2sp_valid: boolean;
      origin?: string;
      size?: number;
      hash_utf8?: string;
      extensions?: string[];
    }[];
  };
  sumdb_checkpoints: { vkey: string; notes: string[] };
}

const vectors = LEDGER_VECTORS as CheckpointVectors;
const cases = vectors.checkpoint_bodies.cases;
const sumdb = vectors.sumdb_checkpoints;
const SUMDB_ORIGIN = 'go.sum database tree';
const root = Buffer.alloc(32, 0xab);
const rootB64 = root.toString('base64');

describe('parseCheckpoint', () => {
  it('rejects every body C2SP forbids', () => {
    const invalid = cases.filter((c) => !c.c2sp_valid);
    expect(invalid.length).toBeGreaterThan(0);
    for (const { desc, text } of invalid) expect(() => parseCheckpoint(text, { hashSize: null }), desc).toThrow(CheckpointError);
  });

  it('rejects second spellings and wrong hash sizes', () => {
    const bad = [
      `Log\n0123\n${rootB64}\n`, // leading zero
      `Log\n+123\n${rootB64}\n`,
      `Log\n 123\n${rootB64}\n`,
      `Log\n1e3\n${rootB64}\n`,
      `Log\n\n${rootB64}\n`,
      `Log\n9007199254740992\n${rootB64}\n`, // 2^53
      `Log\n123\n${rootB64.replace(/=$/, '')}\n`, // unpadded
      `Log\n123\n${rootB64.replace(/.=$/, 't=')}\n`, // non-zero padding bits
      `Log\n123\n-${rootB64.slice(1)}\n`, // base64url alphabet
      `Log\n123\n\n`,
      `Log\n123\n${Buffer.alloc(31).toString('base64')}\n`, // 31 bytes with the default hashSize 32
      `Log\n123\n${rootB64}\next\n\n`, // empty extension line
      `Log\n123\n${rootB64}`,
    ];
    for (const text of bad) expect(() => parseCheckpoint(text), JSON.stringify(text)).toThrow(CheckpointError);
    expect(() => parseCheckpoint('Log\n123\nYmFuYW5hcw==\n')).toThrow(/7 bytes, expected 32/);
  });

  it('parses the valid formats vectors', () => {
    for (const c of cases.filter((v) => v.c2sp_valid)) {
      const parsed = parseCheckpoint(c.text, { hashSize: null });
      expect(parsed.origin, c.desc).toBe(c.origin);
      expect(parsed.size, c.desc).toBe(c.size);
      expect(parsed.rootHash.toString('utf8'), c.desc).toBe(c.hash_utf8);
      expect(parsed.extensions, c.desc).toEqual(c.extensions);
    }
  });

  it('accepts the empty tree and the largest safe size', () => {
    expect(parseCheckpoint(`Log\n0\n${rootB64}\n`).size).toBe(0);
    expect(parseCheckpoint(`Log\n9007199254740991\n${rootB64}\n`).size).toBe(Number.MAX_SAFE_INTEGER);
  });
});

describe('formatCheckpoint', () => {
  it('refuses fields that would change the meaning of other lines', () => {
    const bad = [
      { origin: '', size: 1, rootHash: root },
      { origin: 'a\nb', size: 1, rootHash: root },
      { origin: 'Log', size: -1, rootHash: root },
      { origin: 'Log', size: 1.5, rootHash: root },
      { origin: 'Log', size: 2 ** 53, rootHash: root },
      { origin: 'Log', size: 1, rootHash: Buffer.alloc(0) },
      { origin: 'Log', size: 1, rootHash: root, extensions: [''] },
      { origin: 'Log', size: 1, rootHash: root, extensions: ['a\nb'] },
    ];
    for (const input of bad) expect(() => formatCheckpoint(input), JSON.stringify(input)).toThrow(CheckpointError);
  });

  it('writes exactly the C2SP body and parses back to the same fields', () => {
    const text = formatCheckpoint({ origin: 'cohort.example/ledger', size: 20852163, rootHash: root, extensions: ['ext'] });
    expect(text).toBe(`cohort.example/ledger\n20852163\n${rootB64}\next\n`);
    expect(parseCheckpoint(text)).toEqual({ origin: 'cohort.example/ledger', size: 20852163, rootHash: root, extensions: ['ext'] });
    for (const c of cases.filter((v) => v.c2sp_valid)) {
      const parsed = parseCheckpoint(c.text, { hashSize: null });
      expect(formatCheckpoint(parsed)).toBe(c.text);
    }
  });
});

describe('signed checkpoints', () => {
  it('refuses a checkpoint signed by another key, tampered with, or for another origin', () => {
    const { skey, vkey } = generateSignerKey('cohort.example/ledger');
    const other = generateSignerKey('cohort.example/ledger');
    const signed = signCheckpoint({ origin: 'cohort.example/ledger', size: 5, rootHash: root }, parseSignerKey(skey));
    expect(() => openCheckpoint(signed, parseVerifierKey(other.vkey), 'cohort.example/ledger')).toThrow(NoteError);
    expect(() => openCheckpoint(signed.replace('\n5\n', '\n6\n'), parseVerifierKey(vkey), 'cohort.example/ledger')).toThrow(
      NoteError,
    );
    expect(() => openCheckpoint(signed, parseVerifierKey(vkey), 'cohort.example/other')).toThrow(CheckpointError);
  });

  it('rejects a correctly signed body that is not a checkpoint', () => {
    const { skey, vkey } = generateSignerKey('cohort.example/ledger');
    const note = signCheckpoint({ origin: 'cohort.example/ledger', size: 1, rootHash: Buffer.alloc(7) }, parseSignerKey(skey));
    expect(() => openCheckpoint(note, parseVerifierKey(vkey), 'cohort.example/ledger')).toThrow(/expected 32/);
  });

  it('opens the sum.golang.org checkpoints', () => {
    const verifier = parseVerifierKey(sumdb.vkey);
    for (const note of sumdb.notes) {
      const [, sizeLine, hashLine] = note.split('\n');
      expect(openCheckpoint(note, verifier, SUMDB_ORIGIN)).toEqual({
        origin: SUMDB_ORIGIN,
        size: Number(sizeLine),
        rootHash: Buffer.from(hashLine ?? '', 'base64'),
        extensions: [],
      });
    }
  });

  it('round-trips with generated keys', () => {
    const { skey, vkey } = generateSignerKey('cohort.example/ledger');
    const checkpoint = { origin: 'cohort.example/ledger', size: 0, rootHash: root, extensions: ['first', 'second'] };
    const signed = signCheckpoint(checkpoint, parseSignerKey(skey));
    expect(signed.startsWith(`cohort.example/ledger\n0\n${rootB64}\nfirst\nsecond\n\n\u2014 cohort.example/ledger `)).toBe(true);
    expect(openCheckpoint(signed, parseVerifierKey(vkey), 'cohort.example/ledger')).toEqual(checkpoint);
  });
});
