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

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function canonicalize(value: unknown): string {
  return serialize(value, '$');
}

function serialize(value: unknown, path: string): string {
  if (value === null || value === true || value === false) return String(value);
  switch (typeof value) {
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`${path}: ${value} is not a JSON number`);
      return JSON.stringify(value); // ECMAScript Number-to-String, as RFC 8785 §3.2.2.3 requires; -0 → 0
    case 'string':
      return serializeString(value, path);
    case 'object':
      if (Array.isArray(value)) return `[${value.map((v, i) => serialize(v, `${path}[${i}]`)).join(',')}]`;
      return serializeObject(value as object, path);
    default:
      throw new CanonicalJsonError(`${path}: ${typeof value} is not JSON`);
  }
}

function serializeString(value: string, path: string): string {
  if (LONE_SURROGATE.test(value)) throw new CanonicalJsonError(`${path}: string has a lone surrogate`);
  return JSON.stringify(value);
}

function serializeObject(value: object, path: string): string {
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw new CanonicalJsonError(`${path}: ${proto?.constructor?.name ?? 'object'} is not a plain JSON object`);
  }
  const record = value as Record<string, unknown>;
  // Default sort compares UTF-16 code units, exactly the order RFC 8785 §3.2.3 prescribes.
  const keys = Object.keys(record).sort();
  const members = keys.map((key) => {
    if (record[key] === undefined) throw new CanonicalJsonError(`${path}.${key}: undefined is not JSON`);
    return `${serializeString(key, path)}:${serialize(record[key], `${path}.${key}`)}`;
  });
  return `{${members.join(',')}}`;
}
