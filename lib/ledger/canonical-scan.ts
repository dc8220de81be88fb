/**
 * A one-pass recognizer for the canonical (RFC 8785) JSON that ledger entries are written in: the
 * verification hot path, where parsing and re-serializing a million entries would cost more than
 * hashing them.
 *
 * It says yes only to texts that are certainly canonical, and are the kind entries are made of:
 * objects whose keys come in strictly increasing UTF-16 code-unit order, arrays, strings with no
 * escapes, control characters or surrogates, integers of at most 15 digits (exactly what ECMAScript
 * prints for them), true, false and null, with no whitespace anywhere. Such a text is its own JCS
 * form. For anything else (an escape, a fraction, an exponent, whitespace, a key out of order, text
 * that is not JSON at all) it says "not sure", and the caller settles the question the exact way
 * (JSON.parse, then isCanonicalText).
 *
 * While scanning, it notes where the top-level members the caller asked for are.
 */
export class CanonicalScanner {
  /** Per wanted key: where its value starts and ends in the text (quotes included), or -1. */
  readonly valueStart: Int32Array;
  readonly valueEnd: Int32Array;
  /** Where the scanned object ends (one past its closing brace). */
  end = 0;

  readonly #keys: readonly string[];
  /** The wanted keys' numbers by key length: most members are ruled out by length alone. */
  readonly #byLength: (number[] | undefined)[] = [];
  #text = '';

  constructor(keys: readonly string[]) {
    this.#keys = keys;
    keys.forEach((key, k) => (this.#byLength[key.length] ??= []).push(k));
    this.valueStart = new Int32Array(keys.length);
    this.valueEnd = new Int32Array(keys.length);
  }

  /**
   * Whether a canonical JSON object of the kind described above starts at offset 0 of `text`.
   * Anything may follow it after a control character (a tab, say); `end` says where it stopped.
   */
  scanObject(text: string): boolean {
    this.valueStart.fill(-1);
    this.valueEnd.fill(-1);
    this.#text = text;
    // No string may hold a backslash, control character or surrogate: with the first such character
    // found at once (irregexp is fast at this), strings can then be skipped to their closing quote.
    ORDINARY_RUN.lastIndex = 0;
    ORDINARY_RUN.test(text);
    const limit = ORDINARY_RUN.lastIndex;
    const end = this.#object(text, 0, limit, 0);
    if (end < 0) return false;
    this.end = end;
    return true;
  }

  /** Where the wanted key's value's characters start, if it is a string (they end at stringEnd); -1 otherwise. */
  stringStart(key: number): number {
    const start = this.valueStart[key]!;
    return start >= 0 && this.#text.charCodeAt(start) === QUOTE ? start + 1 : -1;
  }

  /** Where the wanted key's string value's characters end (at its closing quote). */
  stringEnd(key: number): number {
    return this.valueEnd[key]! - 1;
  }

  /** Whether the wanted key's value is exactly the JSON text `json` (e.g. "1", or a string with its quotes). */
  valueIs(key: number, json: string): boolean {
    const start = this.valueStart[key]!;
    return start >= 0 && this.valueEnd[key]! - start === json.length && this.#text.startsWith(json, start);
  }

  /** Whether the wanted key's value is the string `value` (no escapes needed: the scanner admits none). */
  stringIs(key: number, value: string): boolean {
    const start = this.valueStart[key]!;
    // slice and ===, not startsWith: that compares long strings a character at a time.
    return start >= 0 && this.#text.charCodeAt(start) === QUOTE && this.#text.slice(start + 1, this.valueEnd[key]! - 1) === value;
  }

  // Each returns where the value it read ends, or -1 when it is not (certainly) canonical.

  #object(text: string, at: number, limit: number, depth: number): number {
    if (depth > MAX_DEPTH || text.charCodeAt(at) !== OPEN_BRACE) return -1;
    at++;
    if (text.charCodeAt(at) === CLOSE_BRACE) return at + 1;
    let previousKeyStart = -1;
    let previousKeyEnd = -1;
    for (;;) {
      if (text.charCodeAt(at) !== QUOTE) return -1;
      const keyStart = at + 1;
      const keyEnd = closingQuote(text, keyStart, limit);
      if (keyEnd < 0) return -1;
      // Strictly increasing keys: canonical order, and no duplicates.
      if (previousKeyStart >= 0) {
        const first = text.charCodeAt(previousKeyStart) - text.charCodeAt(keyStart);
        if (first > 0 || (first === 0 && !rawLess(text, previousKeyStart, previousKeyEnd, keyStart, keyEnd))) return -1;
      }
      previousKeyStart = keyStart;
      previousKeyEnd = keyEnd;
      if (text.charCodeAt(keyEnd + 1) !== COLON) return -1;
      const valueStart = keyEnd + 2;
      at = this.#value(text, valueStart, limit, depth + 1);
      if (at < 0) return -1;
      if (depth === 0) this.#noteMember(keyStart, keyEnd, valueStart, at);
      const next = text.charCodeAt(at++);
      if (next === CLOSE_BRACE) return at <= limit ? at : -1;
      if (next !== COMMA) return -1;
    }
  }

  #array(text: string, at: number, limit: number, depth: number): number {
    if (depth > MAX_DEPTH) return -1;
    at++;
    if (text.charCodeAt(at) === CLOSE_BRACKET) return at + 1;
    for (;;) {
      at = this.#value(text, at, limit, depth + 1);
      if (at < 0) return -1;
      const next = text.charCodeAt(at++);
      if (next === CLOSE_BRACKET) return at <= limit ? at : -1;
      if (next !== COMMA) return -1;
    }
  }

  #value(text: string, at: number, limit: number, depth: number): number {
    const c = text.charCodeAt(at);
    if (c === QUOTE) {
      const end = closingQuote(text, at + 1, limit);
      return end < 0 ? -1 : end + 1;
    }
    if (c === OPEN_BRACE) return this.#object(text, at, limit, depth);
    if (c === OPEN_BRACKET) return this.#array(text, at, limit, depth);
    if (c === MINUS || (c >= DIGIT_0 && c <= DIGIT_9)) return integerEnd(text, at, limit);
    for (const word of LITERALS) {
      if (text.startsWith(word, at)) return at + word.length <= limit ? at + word.length : -1;
    }
    return -1;
  }

  #noteMember(keyStart: number, keyEnd: number, valueStart: number, valueEnd: number): void {
    const candidates = this.#byLength[keyEnd - keyStart];
    if (!candidates) return;
    for (const k of candidates) {
      if (this.#text.startsWith(this.#keys[k]!, keyStart)) {
        this.valueStart[k] = valueStart;
        this.valueEnd[k] = valueEnd;
        return;
      }
    }
  }
}

/** Where the string whose contents start at `from` closes (no escape comes before `limit`: see ORDINARY_RUN). */
function closingQuote(text: string, from: number, limit: number): number {
  const end = text.indexOf('"', from);
  return end < 0 || end >= limit ? -1 : end;
}

/** -?(0|[1-9][0-9]{0,14}), not -0, not followed by a fraction or exponent. */
function integerEnd(text: string, at: number, limit: number): number {
  const negative = text.charCodeAt(at) === MINUS;
  const first = negative ? at + 1 : at;
  let i = first;
  while (i < limit && isDigit(text.charCodeAt(i))) i++;
  const digits = i - first;
  if (digits === 0 || digits > 15) return -1;
  if (text.charCodeAt(first) === DIGIT_0 && (digits > 1 || negative)) return -1;
  const after = text.charCodeAt(i);
  if (after === DOT || after === LOWER_E || after === UPPER_E) return -1;
  return i;
}

/** text[a0, a1) < text[b0, b1) in UTF-16 code-unit order (what JS `<` does for strings). */
function rawLess(text: string, a0: number, a1: number, b0: number, b1: number): boolean {
  const n = Math.min(a1 - a0, b1 - b0);
  for (let i = 0; i < n; i++) {
    const d = text.charCodeAt(a0 + i) - text.charCodeAt(b0 + i);
    if (d !== 0) return d < 0;
  }
  return a1 - a0 < b1 - b0;
}

function isDigit(c: number): boolean {
  return c >= DIGIT_0 && c <= DIGIT_9;
}

/**
 * The longest run from the start of characters a string the scanner admits may hold: anything but
 * a backslash, control character or surrogate. Sticky, so `lastIndex` tells where the run ends.
 */
const ORDINARY_RUN = /[^\\\u0000-\u001f\ud800-\udfff]*/y;
const LITERALS = ['true', 'false', 'null'] as const;
// Deeper nesting than this is no entry's; the exact path can judge it without a deep recursion here.
const MAX_DEPTH = 64;
const QUOTE = 0x22;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;
