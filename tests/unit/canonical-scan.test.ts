/**
 * The verifier's fast canonical-JSON recognizer may say "not sure" to anything, but may say yes only
 * to texts that are exactly their own RFC 8785 form: checked against the exact path (JSON.parse +
 * isCanonicalText) on hand-picked cases and on thousands of random values and their mutations.
 */
import { describe, expect, it } from 'vitest';
import { canonicalize, isCanonicalText } from '@/lib/ledger/canonical-json';
import { CanonicalScanner } from '@/lib/ledger/canonical-scan';

const scanner = new CanonicalScanner(['actor', 'prev', 'seq', 'time', 'type', 'v']);
const [ACTOR, PREV, SEQ, TIME, TYPE, V] = [0, 1, 2, 3, 4, 5];

/** Whether the whole text scans as canonical. */
const scansWhole = (text: string) => scanner.scanObject(text) && scanner.end === text.length;

/** The exact verdict: JSON at all, and its own canonical form. */
function exactlyCanonical(text: string): boolean {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return false;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) && isCanonicalText(value, text);
}

describe('CanonicalScanner', () => {
  it('says yes to ordinary entries and finds their top-level members', () => {
    const prev = 'ab'.repeat(32);
    const text = canonicalize({ v: 1, seq: 42, time: '2026-11-28T12:00:00.000Z', type: 'consent.granted', actor: 'p_x', subjects: ['s-1'], payload: { n: -3, ok: true, none: null, list: [1, [2, {}]] }, prev });
    expect(scansWhole(text)).toBe(true);
    expect(scanner.valueIs(V, '1')).toBe(true);
    expect(scanner.valueIs(SEQ, '42')).toBe(true);
    expect(scanner.stringIs(PREV, prev)).toBe(true);
    expect(scanner.stringIs(PREV, 'cd'.repeat(32))).toBe(false);
    const stringOf = (key: number) => text.slice(scanner.stringStart(key), scanner.stringEnd(key));
    expect([stringOf(TYPE), stringOf(ACTOR), stringOf(TIME)]).toEqual(['consent.granted', 'p_x', '2026-11-28T12:00:00.000Z']);
    expect(scanner.stringStart(V)).toBe(-1); // a number, not a string
    // A nested "seq" is not the entry's.
    expect(scansWhole('{"a":{"seq":7}}') && scanner.valueStart[SEQ]).toBe(-1);
  });

  it('stops at the end of the object: what follows a tab is not its business', () => {
    expect(scanner.scanObject('{"a":1}\t{"b":2}')).toBe(true);
    expect(scanner.end).toBe(7);
  });

  it.each([
    ['{}'],
    ['{"":1,"a":2}'],
    ['{"A":1,"a":2}'],
    ['{"a":[],"b":{}}'],
    ['{"a":"é ü 中"}'],
    ['{"n":-123456789012345}'],
    ['{"f":false,"n":0,"t":true,"z":null}'],
  ])('accepts %s', (text) => {
    expect(exactlyCanonical(text)).toBe(true);
    expect(scansWhole(text)).toBe(true);
  });

  it.each([
    ['keys out of order', '{"b":1,"a":2}'],
    ['a duplicate key', '{"a":1,"a":2}'],
    ['whitespace', '{"a": 1}'],
    ['a fraction written long', '{"a":1.0}'],
    ['an exponent', '{"a":1e3}'],
    ['minus zero', '{"a":-0}'],
    ['a leading zero', '{"a":01}'],
    ['an escape JCS would not write', '{"a":"\\u0041"}'],
    ['an escape JCS would write (judged exactly)', '{"a":"x\\ny"}'],
    ['a raw control character', '{"a":"x\ny"}'],
    ['a lone surrogate', '{"a":"\ud800"}'],
    ['a paired surrogate (judged exactly)', '{"a":"😀"}'],
    ['a 16-digit integer (judged exactly)', '{"a":1234567890123456}'],
    ['a broken literal', '{"a":tru}'],
    ['a trailing comma', '{"a":[1,]}'],
    ['an unclosed object', '{"a":1'],
    ['an unclosed string', '{"a":"x}'],
    ['not an object', '[1,2]'],
    ['nesting deeper than entries have', `{"a":${'['.repeat(100)}${']'.repeat(100)}}`],
  ])('is not sure about %s', (_, text) => {
    expect(scansWhole(text)).toBe(false);
  });

  it('never says yes to a text that is not exactly canonical (random values and their mutations)', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const strings = ['', 'a', 'B', 'é', 'x y', 'q"uote', 'back\\slash', 'tab\t', '😀', 'z', 'aa', 'ab'];
    const numbers = [0, 1, -1, 42, 0.5, -2.25, 1e21, 1e-7, 123456789012345, 2 ** 53];
    const value = (depth: number): unknown => {
      const kind = depth > 3 ? Math.floor(random() * 4) : Math.floor(random() * 6);
      if (kind === 0) return pick(strings);
      if (kind === 1) return pick(numbers);
      if (kind === 2) return pick([true, false, null]);
      if (kind === 3) return pick(strings) + pick(strings);
      if (kind === 4) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(random() * 5) }, () => [pick(strings), value(depth + 1)]));
    };
    const mutations: ((t: string) => string)[] = [
      (t) => t,
      (t) => t.replace(',', ', '),
      (t) => t.replace(':', ' :'),
      (t) => t.replace(/\{"([^"\\]*)":/, '{"$1":0,"$1":'),
      (t) => t.replace(/(\d)/, '$1.0'),
      (t) => t.replace(/(\d)/, '0$1'),
      (t) => t.replace('"', '"\\u0061'),
      (t) => t.slice(0, -1),
      (t) => `${t}}`,
      (t) => t.replace(/"([a-zA-Z])"/, '"$1$1"'),
      (t) => {
        const i = Math.floor(random() * t.length);
        return t.slice(0, i) + t.slice(i + 1);
      },
      (t) => {
        const i = Math.floor(random() * t.length);
        return t.slice(0, i) + pick(['"', ',', ':', '{', '}', '[', ']', '1', '-', 'e', '.', ' ', '\n', '\\']) + t.slice(i);
      },
    ];
    let yes = 0;
    for (let i = 0; i < 4000; i++) {
      const object = Object.fromEntries(Array.from({ length: 1 + Math.floor(random() * 6) }, () => [pick(strings), value(0)]));
      const text = pick(mutations)(canonicalize(object));
      if (scansWhole(text)) {
        yes++;
        expect(exactlyCanonical(text), text).toBe(true);
      }
    }
    expect(yes).toBeGreaterThan(150);
  });
});
