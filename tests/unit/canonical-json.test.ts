import { describe, expect, it } from 'vitest';
import { canonicalize, CanonicalJsonError, isCanonicalText } from '@/lib/ledger/canonical-json';

describe('canonicalize (RFC 8785)', () => {
  it('refuses what JSON cannot carry exactly', () => {
    for (const bad of [undefined, NaN, Infinity, -Infinity, 10n, () => 1, Symbol('x'), new Date(0), new Map(), { a: undefined }, ['\uD800'], { '\uDC00': 1 }]) {
      expect(() => canonicalize(bad), String(bad)).toThrow(CanonicalJsonError);
    }
  });

  it('matches the RFC 8785 §3.2.3 example (numbers, escapes, key order)', () => {
    const input = JSON.parse(
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
    );
    expect(canonicalize(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts keys by UTF-16 code units (RFC 8785 §3.2.3 sorting example)', () => {
    const input = { '\u20ac': 'Euro Sign', '\r': 'Carriage Return', '\ufb33': 'Hebrew Letter Dalet With Dagesh', '1': 'One', '\ud83d\ude00': 'Emoji: Grinning Face', '\u0080': 'Control', '\u00f6': 'Latin Small Letter O With Diaeresis' };
    // Values in output order (JSON.parse would move the integer-like key "1" first).
    const values = [...canonicalize(input).matchAll(/:"([^"]*)"/g)].map((m) => m[1]);
    expect(values).toEqual([
      'Carriage Return',
      'One',
      'Control',
      'Latin Small Letter O With Diaeresis',
      'Euro Sign',
      'Emoji: Grinning Face',
      'Hebrew Letter Dalet With Dagesh',
    ]);
  });

  it('is independent of key insertion order and nests canonically', () => {
    expect(canonicalize({ b: [1, { y: 2, x: -0 }], a: 'é' })).toBe('{"a":"é","b":[1,{"x":0,"y":2}]}');
    expect(canonicalize({ a: 'é', b: [1, { x: 0, y: 2 }] })).toBe(canonicalize({ b: [1, { y: 2, x: 0 }], a: 'é' }));
    expect(canonicalize(Object.create(null))).toBe('{}');
  });
});

describe('isCanonicalText', () => {
  const check = (text: string) => isCanonicalText(JSON.parse(text), text);

  it('agrees with canonicalize, fast path or not', () => {
    for (const value of [{ a: 1, b: [true, null, { c: 'é', d: -0.5 }] }, { '10': 1, '9': 2, a: 3 }, { s: 'tab\there \u0001' }, [], {}, 'x', 1e21]) {
      expect(check(canonicalize(value)), JSON.stringify(value)).toBe(true);
    }
  });

  it('refuses text that is JSON but not its canonical form', () => {
    for (const text of ['{"b":1,"a":2}', '{"a": 1}', '{"a":1.0}', '{"a":"\\u0041"}', '{"a":1,"a":1}', '[1e2]', '{"x":{"b":1,"a":2}}', '"\\ud800"']) {
      expect(check(text), text).toBe(false);
    }
  });
});
