import { AppError } from '@/lib/errors/app-error';

/** One part of a multipart body: its headers, and its content as a stream (read it before the next part). */
export type MultipartPart = { headers: Headers; body: AsyncIterable<Uint8Array> };

const CRLF = Buffer.from('\r\n');
const MAX_HEADER_LINE = 8 * 1024;
const MAX_HEADER_LINES = 64;

/**
 * The boundary of a multipart Content-Type (RFC 2046 §5.1.1), quoted or not. Throws BAD_REQUEST when
 * there is none, or when the media type is not `multipart/<subtype>`.
 */
export function multipartBoundary(contentType: string | null, subtype = 'related'): string {
  const [mediaType, ...params] = (contentType ?? '').split(';');
  if (mediaType?.trim().toLowerCase() !== `multipart/${subtype}`) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', `Expected a multipart/${subtype} body, got "${contentType ?? 'nothing'}".`);
  }
  const boundary = parameter(params, 'boundary');
  if (!boundary || boundary.length > 70) throw new AppError('BAD_REQUEST', 'The multipart body has no usable boundary parameter.');
  return boundary;
}

/** A parameter of a Content-Type header (`type`, `boundary`, `transfer-syntax`...), unquoted. */
export function contentTypeParameter(contentType: string | null, name: string): string | undefined {
  return parameter((contentType ?? '').split(';').slice(1), name);
}

function parameter(params: string[], name: string): string | undefined {
  for (const p of params) {
    const eq = p.indexOf('=');
    if (eq < 0 || p.slice(0, eq).trim().toLowerCase() !== name) continue;
    const value = p.slice(eq + 1).trim();
    return value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
  }
  return undefined;
}

/**
 * Streams the parts of a multipart body (RFC 2046) without holding any part in memory: each part's
 * body is handed out in the chunks it arrives in, held back only by the length of the delimiter (which
 * may straddle two chunks). Preamble and epilogue are ignored. A body that ends before its closing
 * delimiter throws BAD_REQUEST: nothing of a cut-off part may pass for complete.
 */
export async function* readMultipart(stream: AsyncIterable<Uint8Array>, boundary: string): AsyncGenerator<MultipartPart> {
  const reader = new ChunkReader(stream);
  // A delimiter is CRLF "--" boundary; the first may start the body, so read as if a CRLF came before.
  reader.unshift(CRLF);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  await reader.skipPast(delimiter, 'the first boundary');
  for (;;) {
    const after = await reader.take(2);
    if (after.equals(Buffer.from('--'))) return; // close delimiter
    reader.unshift(after);
    await reader.readLine(); // the rest of the delimiter line (transport padding, CRLF)
    const headers = new Headers();
    for (let line = await reader.readLine(), n = 0; line !== ''; line = await reader.readLine(), n++) {
      if (n >= MAX_HEADER_LINES) throw new AppError('BAD_REQUEST', 'A multipart part has too many header lines.');
      const colon = line.indexOf(':');
      if (colon <= 0) throw new AppError('BAD_REQUEST', `A multipart part has a malformed header line: "${line.slice(0, 80)}".`);
      headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
    }
    let finished = false;
    const body = (async function* () {
      yield* reader.until(delimiter);
      finished = true;
    })();
    yield { headers, body };
    // Whatever the consumer left unread of this part is skipped.
    if (!finished) await reader.skipPast(delimiter, 'the end of a part');
  }
}

class ChunkReader {
  #pending: Buffer = Buffer.alloc(0);
  #iterator: AsyncIterator<Uint8Array>;
  #ended = false;

  constructor(stream: AsyncIterable<Uint8Array>) {
    this.#iterator = stream[Symbol.asyncIterator]();
  }

  unshift(bytes: Buffer) {
    this.#pending = this.#pending.length ? Buffer.concat([bytes, this.#pending]) : bytes;
  }

  async #fill(): Promise<boolean> {
    if (this.#ended) return false;
    const { value, done } = await this.#iterator.next();
    if (done) {
      this.#ended = true;
      return false;
    }
    const chunk = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    this.#pending = this.#pending.length ? Buffer.concat([this.#pending, chunk]) : chunk;
    return true;
  }

  async take(n: number): Promise<Buffer> {
    while (this.#pending.length < n) if (!(await this.#fill())) throw truncated();
    const out = this.#pending.subarray(0, n);
    this.#pending = this.#pending.subarray(n);
    return out;
  }

  async readLine(): Promise<string> {
    for (;;) {
      const at = this.#pending.indexOf(CRLF);
      if (at >= 0) {
        const line = this.#pending.subarray(0, at).toString('latin1');
        this.#pending = this.#pending.subarray(at + 2);
        return line;
      }
      if (this.#pending.length > MAX_HEADER_LINE) throw new AppError('BAD_REQUEST', 'A multipart header line is too long.');
      if (!(await this.#fill())) throw truncated();
    }
  }

  async skipPast(marker: Buffer, what: string): Promise<void> {
    for (;;) {
      const at = this.#pending.indexOf(marker);
      if (at >= 0) {
        this.#pending = this.#pending.subarray(at + marker.length);
        return;
      }
      // Keep only what could be the start of the marker.
      this.#pending = this.#pending.subarray(Math.max(0, this.#pending.length - marker.length + 1));
      if (!(await this.#fill())) throw new AppError('BAD_REQUEST', `The multipart body ends before ${what}.`);
    }
  }

  /** The bytes up to `marker` (consumed, not returned), as a stream. */
  async *until(marker: Buffer): AsyncGenerator<Uint8Array> {
    for (;;) {
      const at = this.#pending.indexOf(marker);
      if (at >= 0) {
        const last = this.#pending.subarray(0, at);
        this.#pending = this.#pending.subarray(at + marker.length);
        if (last.length) yield last;
        return;
      }
      // Everything but a possible partial marker at the end is part content. The marker starts with
      // CR, so without a CR among the last bytes nothing need be held back (and the next chunk is
      // not copied to join it).
      const tail = Math.max(0, this.#pending.length - marker.length + 1);
      const cr = this.#pending.indexOf(marker[0]!, tail);
      const safe = cr < 0 ? this.#pending.length : cr;
      if (safe > 0) {
        const out = this.#pending.subarray(0, safe);
        this.#pending = this.#pending.subarray(safe);
        yield out;
      }
      if (!(await this.#fill())) throw truncated();
    }
  }
}

function truncated(): AppError {
  return new AppError('BAD_REQUEST', 'The multipart body ends in the middle of a part: it was cut off.');
}
