import { AppError } from '@/lib/errors/app-error';

const DEFAULT_LIMIT = 1024 * 1024;

/**
 * Reads a JSON request body: 415 unless it is declared JSON (which also makes cross-site form posts
 * impossible without a CORS preflight), 413 past `limitBytes`, 400 when it does not parse.
 */
export async function readJson(req: Request, limitBytes = DEFAULT_LIMIT): Promise<unknown> {
  const type = req.headers.get('content-type') ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json.');
  }
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (declared > limitBytes) throw new AppError('PAYLOAD_TOO_LARGE', `The body is larger than ${limitBytes} bytes.`);
  const text = await readTextLimited(req, limitBytes);
  if (text.trim() === '') throw new AppError('BAD_REQUEST', 'The request body is empty; expected JSON.');
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('BAD_REQUEST', 'The request body is not valid JSON.');
  }
}

async function readTextLimited(req: Request, limitBytes: number): Promise<string> {
  return new TextDecoder().decode(await readBytesLimited(req, limitBytes));
}

/** A request (or response) body as bytes, read as it streams: 413 as soon as it passes `limitBytes`. */
export async function readBytesLimited(req: Pick<Request, 'headers' | 'body'>, limitBytes: number): Promise<Buffer> {
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (declared > limitBytes) throw new AppError('PAYLOAD_TOO_LARGE', `The body is larger than ${limitBytes} bytes.`);
  if (!req.body) return Buffer.alloc(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limitBytes) {
      await reader.cancel();
      throw new AppError('PAYLOAD_TOO_LARGE', `The body is larger than ${limitBytes} bytes.`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
