/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): one byte sequence per JSON value, so a hash of an
 * entry means the same thing to every verifier. Keys sorted by UTF-16 code units, numbers and strings
 * as ECMAScript serializes them. Anything JSON cannot carry exactly (undefined, NaN, Infinity,
 * bigint, lone surrogates, class instances such as Date) is refused rather than silently changed.
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export class CanonicalJsonError extends Error {
  override name = 'CanonicalJsonError';
}

/** Where in the value we are, kept as a stack and joined only for an error message (this is a hot path). */
type Path = (string | number)[];

export function canonicalize(value: unknown): string {
  return serialize(value, []);
}

/**
 * Whether `text` is exactly canonicalize(value), for `value` = JSON.parse(text). Fast path for
 * verifying millions of entries: the engine's own JSON.stringify reproduces JCS when every object's
 * keys already come in code-unit order and nothing needs a \u escape (a lone surrogate, which JCS
 * refuses, or a control character); anything else takes the exact, slower comparison.
 */
export function isCanonicalText(value: unknown, text: string): boolean {
  if (!text.includes('\\u') && keysInOrder(value) && JSON.stringify(value) === text) return true;
  try {
    return canonicalize(value) === text;
  } catch (err) {
    if (err instanceof CanonicalJsonError) return false;
    throw err;
  }
}

function keysInOrder(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (Array.isArray(value)) return value.every(keysInOrder);
  let previous: string | undefined;
  for (const key in value) {
    if (previous !== undefined && !(previous < key)) return false;
    if (!keysInOrder((value as Record<string, unknown>)[key])) return false;
    previous = key;
  }
  return true;
}

function serialize(value: unknown, path: Path): string {
  if (value === null || value === true || value === false) return String(value);
  switch (typeof value) {
    case 'number':
      if (!Number.isFinite(value)) throw refuse(path, `${value} is not a JSON number`);
      return JSON.stringify(value); // ECMAScript Number-to-String, as RFC 8785 §3.2.2.3 requires; -0 → 0
    case 'string':
      return serializeString(value, path);
    case 'object':
      return Array.isArray(value) ? serializeArray(value, path) : serializeObject(value as object, path);
    default:
      throw refuse(path, `${typeof value} is not JSON`);
  }
}

function serializeString(value: string, path: Path): string {
  if (!value.isWellFormed()) throw refuse(path, 'string has a lone surrogate');
  return JSON.stringify(value);
}

function serializeArray(value: readonly unknown[], path: Path): string {
  let out = '[';
  for (let i = 0; i < value.length; i++) {
    path.push(i);
    out += (i === 0 ? '' : ',') + serialize(value[i], path);
    path.pop();
  }
  return `${out}]`;
}

function serializeObject(value: object, path: Path): string {
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw refuse(path, `${proto?.constructor?.name ?? 'object'} is not a plain JSON object`);
  }
  const record = value as Record<string, unknown>;
  // Default sort compares UTF-16 code units, exactly the order RFC 8785 §3.2.3 prescribes.
  const keys = Object.keys(record).sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    path.push(key);
    if (record[key] === undefined) throw refuse(path, 'undefined is not JSON');
    out += `${i === 0 ? '' : ','}${serializeString(key, path)}:${serialize(record[key], path)}`;
    path.pop();
  }
  return `${out}}`;
}

function refuse(path: Path, reason: string): CanonicalJsonError {
  const where = path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('');
  return new CanonicalJsonError(`$${where}: ${reason}`);
}
