/** The part of a file an HTTP `Range` header asks for (RFC 9110 §14), end inclusive. */
export type ByteRangeRequest = { kind: 'all' } | { kind: 'range'; start: number; end: number } | { kind: 'unsatisfiable' };

/**
 * One `bytes=` range against a file of `size` bytes. What a server may ignore is ignored (answered with the
 * whole file): other units, malformed values, several ranges at once.
 */
export function parseByteRange(header: string | null, size: number): ByteRangeRequest {
  if (!header) return { kind: 'all' };
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!match) return { kind: 'all' };
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return { kind: 'all' };
  if (first === '') {
    // Suffix range: the last N bytes.
    const length = Number(last);
    if (length === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'range', start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? Infinity : Number(last);
  if (!Number.isSafeInteger(start) || end < start) return { kind: 'all' };
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'range', start, end: Math.min(end, size - 1) };
}
