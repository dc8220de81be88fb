import { describe, expect, it } from 'vitest';
import {
  NoteError,
  generateSignerKey,
  openNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
  verifierKeyOf,
  type Signer,
} from '@/lib/ledger/signed-note';
import { LEDGER_VECTORS } from '../helpers/ledger-vectors';

interface SignedNoteVectors {
  signed_notes: {
    go_example: { skey: string; vkey: string; text: string; signed: string };
    go_bad_vkeys: { good: string; bad: { vkey: string; why: string }[] };
    c2sp_example: { vkey: string; signed: string };
    formats_key_pairs: { pairs: { skey: string; vkey: string }[] };
  };
  sumdb_checkpoints: { vkey: string; notes: string[] };
}

const vectors = LEDGER_VECTORS as SignedNoteVectors;
const { go_example: goExample, go_bad_vkeys: badVkeys, c2sp_example: c2spExample, formats_key_pairs: keyPairs } =
  vectors.signed_notes;
const sumdb = vectors.sumdb_checkpoints;

const peter = () => parseSignerKey(goExample.skey);
const peterVerifier = () => parseVerifierKey(goExample.vkey);
const signatureLine = (signed: string) => signed.slice(signed.lastIndexOf('\n\n') + 2);

describe('verifier and signer keys', () => {
  it('rejects every bad vkey of the Go test, every proper substring and every single-byte increment', () => {
    for (const { vkey } of badVkeys.bad) expect(() => parseVerifierKey(vkey)).toThrow(NoteError);
    const good = badVkeys.good;
    for (let i = 0; i < good.length; i++) {
      for (let j = i + 1; j <= good.length; j++) {
        if (i === 0 && j === good.length) continue;
        expect(() => parseVerifierKey(good.slice(i, j)), good.slice(i, j)).toThrow(NoteError);
      }
      const bytes = Buffer.from(good, 'latin1');
      bytes[i] = (bytes[i] ?? 0) + 1;
      expect(() => parseVerifierKey(bytes.toString('latin1')), bytes.toString('latin1')).toThrow(NoteError);
    }
    expect(parseVerifierKey(good)).toMatchObject({ name: 'PeterNeumann', keyHash: 0xc74f20a3 });
  });

  it('rejects malformed signer keys without quoting the secret', () => {
    const skey = goExample.skey;
    const bad = [
      skey.replace('PRIVATE+KEY+', ''), // a vkey-shaped string
      skey.replace('PRIVATE+KEY', 'PRIVATE+KEYS'),
      skey.replace('c74f20a3', 'c74f20a4'), // id of another key
      skey.replace('+AY', '+AI'), // algorithm 0x02
      `${skey}AAAA`, // 35-byte key
      skey.slice(0, -1), // unpadded
      skey.replace('PeterNeumann', 'Peter Neumann'),
    ];
    for (const candidate of bad) {
      expect(() => parseSignerKey(candidate), candidate).toThrow(NoteError);
      try {
        parseSignerKey(candidate);
      } catch (err) {
        expect((err as Error).message).not.toContain(skey.slice(-20));
      }
    }
  });

  it('refuses names that are empty, hold a plus, a Unicode space, a control character or a lone surrogate', () => {
    for (const name of ['', 'a+b', 'a b', 'a\tb', 'a\u00a0b', 'a\u2028b', 'a\u3000b', 'a\u0001b', 'a\ud800b']) {
      expect(() => generateSignerKey(name), JSON.stringify(name)).toThrow(NoteError);
    }
  });

  it('derives exactly the Go-generated vkey from each skey', () => {
    for (const { skey, vkey } of [...keyPairs.pairs, goExample]) {
      expect(verifierKeyOf(skey)).toBe(vkey);
      const verifier = parseVerifierKey(vkey);
      expect(parseSignerKey(skey)).toMatchObject({ name: verifier.name, keyHash: verifier.keyHash });
    }
  });

  it('generates keys that parse, round-trip and differ each time', () => {
    const { skey, vkey } = generateSignerKey('cohort.example/ledger');
    expect(skey).toMatch(/^PRIVATE\+KEY\+cohort\.example\/ledger\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
    expect(vkey).toMatch(/^cohort\.example\/ledger\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
    expect(verifierKeyOf(skey)).toBe(vkey);
    expect(parseSignerKey(skey).keyHash).toBe(parseVerifierKey(vkey).keyHash);
    expect(generateSignerKey('cohort.example/ledger').skey).not.toBe(skey);
  });
});

describe('signNote', () => {
  it('refuses text that no reader could open', () => {
    const signer = peter();
    expect(() => signNote('no final newline', [signer])).toThrow(NoteError);
    expect(() => signNote('', [signer])).toThrow(NoteError);
    expect(() => signNote('tab\there\n', [signer])).toThrow(NoteError);
    expect(() => signNote('carriage\r\n', [signer])).toThrow(NoteError);
    expect(() => signNote('lone \ud800 surrogate\n', [signer])).toThrow(NoteError);
    expect(() => signNote('unsigned\n', [])).toThrow(NoteError);
    expect(() => signNote('twice\n', [signer, signer])).toThrow(NoteError);
    const bogus: Signer = { name: 'bad name', keyHash: 1, sign: () => Buffer.alloc(64) };
    expect(() => signNote('x\n', [bogus])).toThrow(NoteError);
  });

  it('signs the Go example byte for byte', () => {
    expect(signNote(goExample.text, [peter()])).toBe(goExample.signed);
  });

  it('round-trips text with blank lines and lines that look like signatures', () => {
    const { skey, vkey } = generateSignerKey('cohort.example/ledger');
    const text = 'Ognuno sta solo\n\n\u2014 fake c2lnbmF0dXJl\n\n';
    const signed = signNote(text, [parseSignerKey(skey)]);
    expect(openNote(signed, [parseVerifierKey(vkey)])).toEqual({ text, verifiedBy: ['cohort.example/ledger'] });
  });
});

describe('openNote', () => {
  it('rejects a note with any byte flipped, or opened with another key', () => {
    const verifier = parseVerifierKey(sumdb.vkey);
    for (const note of sumdb.notes) {
      expect(() => openNote(note, [peterVerifier()])).toThrow(NoteError);
      const bytes = Buffer.from(note, 'utf8');
      for (let i = 0; i < bytes.length; i++) {
        const flipped = Buffer.from(bytes);
        flipped[i] = (flipped[i] ?? 0) ^ 0x01;
        expect(() => openNote(flipped.toString('utf8'), [verifier]), `byte ${i}`).toThrow(NoteError);
      }
    }
  });

  it('rejects malformed notes', () => {
    const signed = goExample.signed;
    const line = signatureLine(signed);
    const body = signed.slice(0, -line.length);
    const malformed = [
      signed.slice(0, -1), // signature line without newline
      goExample.text, // no signatures
      `${goExample.text}\n`, // blank line, no signatures
      signed.replace('\n\n', '\n'), // no blank line
      `${body}${line.replace('\u2014 ', '- ')}`,
      `${body}${line.replace('\u2014 ', '\u2014')}`,
      `${body}${line.replace('PeterNeumann ', 'PeterNeumann  ')}`,
      `${body}${line.replace('=\n', '\n')}`, // unpadded base64
      `${signed}\u2014 stranger.example AAAAAA==\n`, // key id but no signature
      `${signed}\u2014 stranger.example AAAA\n`, // not even a key id
      `${signed}\u2014 stranger.example AAAAAAAA\n\u2014 stranger.example AAAAAAAA\n`, // repeated line
      `${body}${line}\n`, // trailing blank line
      signed.replace('problem,\n', 'problem,\r\n'),
      signed.replace('problem,', 'problem,\u0000'),
    ];
    for (const note of malformed) expect(() => openNote(note, [peterVerifier()]), JSON.stringify(note)).toThrow(NoteError);
  });

  it('rejects a bad signature from a known key even when another known key verifies', () => {
    const other = generateSignerKey('other.example');
    const signed = signNote(goExample.text, [peter(), parseSignerKey(other.skey)]);
    const tamper = (byteIndex: number) =>
      signed.replace(/(\u2014 other\.example )(\S+)/, (_, prefix: string, b64: string) => {
        const bytes = Buffer.from(b64, 'base64');
        bytes[byteIndex] = (bytes[byteIndex] ?? 0) ^ 0x01;
        return prefix + bytes.toString('base64');
      });
    const verifiers = [peterVerifier(), parseVerifierKey(other.vkey)];
    expect(() => openNote(tamper(10), verifiers)).toThrow(/invalid signature by other\.example\+/);
    // A changed key id makes it some unknown key's signature, which the spec says to ignore.
    expect(openNote(tamper(0), verifiers).verifiedBy).toEqual(['PeterNeumann']);
    expect(openNote(signed, verifiers).verifiedBy).toEqual(['PeterNeumann', 'other.example']);
  });

  it('rejects two signatures by one known key, and ambiguous verifier lists', () => {
    // Ed25519 is deterministic, so a second valid signature needs a verifier that accepts anything.
    const acceptsAll = { name: 'PeterNeumann', keyHash: 0xc74f20a3, verify: () => true };
    const otherSignature = signatureLine(signNote('another text\n', [peter()]));
    expect(openNote(goExample.signed, [acceptsAll]).verifiedBy).toEqual(['PeterNeumann']);
    expect(() => openNote(`${goExample.signed}${otherSignature}`, [acceptsAll])).toThrow(/two signatures by PeterNeumann\+c74f20a3/);
    expect(() => openNote(goExample.signed, [peterVerifier(), peterVerifier()])).toThrow(/ambiguous/);
  });

  it('accepts 16 signatures but refuses more than 100', () => {
    const unknown = Array.from({ length: 15 }, (_, i) => parseSignerKey(generateSignerKey(`witness${i}.example`).skey));
    const sixteen = signNote(goExample.text, [peter(), ...unknown]);
    expect(openNote(sixteen, [peterVerifier()]).verifiedBy).toEqual(['PeterNeumann']);
    const filler = Array.from({ length: 100 }, (_, i) => `\u2014 w${i}.example AAAAAAAAAAAAAAAAAAAA\n`).join('');
    expect(() => openNote(`${goExample.signed}${filler}`, [peterVerifier()])).toThrow(/more than 100/);
  });

  it('requires a signature by a known key and ignores unknown ones', () => {
    expect(() => openNote(goExample.signed, [])).toThrow(/no signature by a known key/);
    const stranger = generateSignerKey('PeterNeumann'); // same name, different key id
    expect(() => openNote(goExample.signed, [parseVerifierKey(stranger.vkey)])).toThrow(/no signature by a known key/);
    const cosigned = signNote(goExample.text, [parseSignerKey(stranger.skey), peter()]);
    expect(openNote(cosigned, [peterVerifier()])).toEqual({ text: goExample.text, verifiedBy: ['PeterNeumann'] });
  });

  it('opens the Go, C2SP and sum.golang.org notes', () => {
    expect(openNote(goExample.signed, [peterVerifier()])).toEqual({ text: goExample.text, verifiedBy: ['PeterNeumann'] });
    expect(openNote(c2spExample.signed, [parseVerifierKey(c2spExample.vkey)])).toEqual({
      text: 'This is an example message.\n',
      verifiedBy: ['example.com/foo'],
    });
    const verifier = parseVerifierKey(sumdb.vkey);
    for (const note of sumdb.notes) {
      expect(openNote(note, [peterVerifier(), verifier])).toEqual({
        text: note.slice(0, note.lastIndexOf('\n\n') + 1),
        verifiedBy: ['sum.golang.org'],
      });
    }
  });
});
