/**
 * Bech32 as BIP173 specifies it (its test vectors), without the 90-character limit age drops, and
 * age's X25519 key encodings (the spec's own example pair).
 */
import { describe, expect, it } from 'vitest';
import { bech32Decode, bech32DecodeWords, bech32Encode, bech32EncodeWords } from '@/lib/keys/bech32';
import { formatIdentity, formatRecipient, generateIdentity, isRecipient, parseIdentity, parseIdentityFile, parseRecipient, recipientOf } from '@/lib/keys/age-keys';

describe('bech32 (BIP173 test vectors)', () => {
  it('refuses the invalid strings, each for its reason', () => {
    const invalid: [string, RegExp][] = [
      ['\x201nwldj5', /human-readable/],
      ['\x7f1axkwrx', /human-readable/],
      ['\x801eym55h', /human-readable/],
      ['pzry9x0s0muk', /separator/],
      ['1pzry9x0s0muk', /separator/],
      ['x1b4n0q5v', /invalid character in the data part/],
      ['li1dgmt3', /separator|checksum/],
      ['de1lg7wt\xff', /invalid character in the data part/],
      ['A1G7SGD8', /invalid checksum/],
      ['10a06t8', /separator/],
      ['1qzzfhee', /separator/],
      ['tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sL5k7', /mixed case/],
      ['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5', /invalid checksum/],
    ];
    for (const [s, reason] of invalid) expect(() => bech32DecodeWords(s), JSON.stringify(s)).toThrow(reason);
  });

  it('accepts the valid strings and re-encodes each to itself', () => {
    const valid = [
      'A12UEL5L',
      'a12uel5l',
      'an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs',
      'abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw',
      '11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j',
      'split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w',
      '?1ezyfcl',
    ];
    for (const s of valid) {
      const { hrp, words } = bech32DecodeWords(s);
      const upper = s === s.toUpperCase() && s !== s.toLowerCase();
      expect(bech32EncodeWords(upper ? hrp.toUpperCase() : hrp, words)).toBe(s);
    }
  });

  it('has no length limit (age recipients of other types are longer than 90 characters)', () => {
    const data = Buffer.alloc(1216, 0xab);
    const long = bech32Encode('age1pq', data);
    expect(long.length).toBeGreaterThan(90);
    expect(bech32Decode(long)).toEqual({ hrp: 'age1pq', data });
  });

  it('refuses padding that is not zero or longer than 4 bits when converting to bytes', () => {
    // One byte is two 5-bit words with 2 bits of padding; three words would be 7 bits of it.
    expect(bech32Decode(bech32EncodeWords('age', [0b01100, 0b00100]))).toEqual({ hrp: 'age', data: Buffer.from([0x61]) });
    expect(() => bech32Decode(bech32EncodeWords('age', [0b01100, 0b00101]))).toThrow(/non-zero padding/);
    expect(() => bech32Decode(bech32EncodeWords('age', [0b01100, 0b00100, 0]))).toThrow(/too much padding/);
  });
});

describe('age X25519 keys', () => {
  const SPEC_IDENTITY = 'AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX';
  const SPEC_RECIPIENT = 'age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj';

  it("derives the spec's example recipient from its example identity", () => {
    expect(recipientOf(SPEC_IDENTITY)).toBe(SPEC_RECIPIENT);
    expect(formatIdentity(parseIdentity(SPEC_IDENTITY).secretKey)).toBe(SPEC_IDENTITY);
    expect(formatRecipient(parseRecipient(SPEC_RECIPIENT).publicKey)).toBe(SPEC_RECIPIENT);
    // Either case decodes; lowercase identities and uppercase recipients are still the same keys.
    expect(recipientOf(SPEC_IDENTITY.toLowerCase())).toBe(SPEC_RECIPIENT);
    expect(parseRecipient(SPEC_RECIPIENT.toUpperCase()).publicKey).toEqual(parseRecipient(SPEC_RECIPIENT).publicKey);
  });

  it('refuses what is not an X25519 recipient, saying why', () => {
    expect(() => parseRecipient('')).toThrow(/Not an age recipient/);
    expect(() => parseRecipient(SPEC_RECIPIENT.slice(0, -1) + 'q')).toThrow(/invalid checksum/);
    expect(() => parseRecipient(SPEC_IDENTITY)).toThrow(/That is a secret key/);
    expect(() => parseRecipient(bech32Encode('x', Buffer.alloc(32)))).toThrow(/should start with age1/);
    expect(() => parseRecipient('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl')).toThrow(/Not an age recipient/);
    expect(() => parseRecipient(bech32Encode('age', Buffer.alloc(31)))).toThrow(/31 bytes, not 32/);
    expect(() => parseRecipient(bech32Encode('age1pq', Buffer.alloc(1216)))).toThrow(/Post-quantum/);
    expect(() => parseIdentity(SPEC_RECIPIENT)).toThrow(/should start with AGE-SECRET-KEY-1/);
    expect(isRecipient(SPEC_RECIPIENT)).toBe(true);
    expect(isRecipient('age1nope')).toBe(false);
  });

  it('generates fresh pairs whose recipient is the identity’s', () => {
    const a = generateIdentity();
    const b = generateIdentity();
    expect(a.identity).not.toBe(b.identity);
    expect(a.identity).toMatch(/^AGE-SECRET-KEY-1[0-9A-Z]{58}$/);
    expect(a.recipient).toMatch(/^age1[0-9a-z]{58}$/);
    expect(recipientOf(a.identity)).toBe(a.recipient);
  });

  it('reads identity files as age-keygen writes them: comments and blank lines, one identity a line', () => {
    const a = generateIdentity();
    const b = generateIdentity();
    const file = `# created: 2026-01-01T00:00:00Z\r\n# public key: ${a.recipient}\n${a.identity}\n\n  ${b.identity}  \n`;
    expect(parseIdentityFile(file).map((i) => formatRecipient(i.publicKey))).toEqual([a.recipient, b.recipient]);
    expect(() => parseIdentityFile('# nothing here\n')).toThrow(/no AGE-SECRET-KEY-1/);
    expect(() => parseIdentityFile(`${a.identity}\n${a.recipient}\n`)).toThrow(/line 2/);
  });
});
