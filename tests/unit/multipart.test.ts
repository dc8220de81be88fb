/** The streaming multipart reader: parts come out whole however the body is cut into chunks. */
import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors/app-error';
import { contentTypeParameter, multipartBoundary, readMultipart } from '@/lib/dicomweb/multipart';

async function* chunked(bytes: Buffer, size: number) {
  for (let i = 0; i < bytes.length; i += size) yield new Uint8Array(bytes.subarray(i, i + size));
}

async function collect(bytes: Buffer, boundary: string, chunkSize: number) {
  const parts: { headers: Record<string, string>; body: Buffer }[] = [];
  for await (const part of readMultipart(chunked(bytes, chunkSize), boundary)) {
    const chunks: Buffer[] = [];
    for await (const c of part.body) chunks.push(Buffer.from(c));
    parts.push({ headers: Object.fromEntries(part.headers), body: Buffer.concat(chunks) });
  }
  return parts;
}

const boundary = 'b0und4ry';
// Contents that look like delimiters but are not: CRLF, "--", the boundary without its CRLF.
const contents = [Buffer.from('\r\n--b0und4r\r\n-- b0und4ry x'), Buffer.alloc(0), Buffer.from(Array.from({ length: 300 }, (_, i) => i % 256))];
const body = Buffer.concat([
  Buffer.from('This is the preamble.\r\n'),
  ...contents.flatMap((c, i) => [Buffer.from(`--${boundary}  \r\nContent-Type: application/dicom\r\nX-Part: ${i}\r\n\r\n`), c, Buffer.from('\r\n')]),
  Buffer.from(`--${boundary}--\r\nepilogue`),
]);

describe('readMultipart', () => {
  it('yields every part intact at every chunk size', async () => {
    for (let size = 1; size <= body.length; size += size < 80 ? 1 : 37) {
      const parts = await collect(body, boundary, size);
      expect(parts.map((p) => p.body), `chunks of ${size}`).toEqual(contents);
      expect(parts.map((p) => p.headers['x-part'])).toEqual(['0', '1', '2']);
      expect(parts[0]!.headers['content-type']).toBe('application/dicom');
    }
  });

  it('reads a body that starts with its first delimiter (no preamble)', async () => {
    const parts = await collect(body.subarray(body.indexOf(`--${boundary}`)), boundary, 7);
    expect(parts).toHaveLength(3);
  });

  it('skips what a consumer leaves unread of a part', async () => {
    const seen: string[] = [];
    for await (const part of readMultipart(chunked(body, 5), boundary)) seen.push(part.headers.get('x-part')!);
    expect(seen).toEqual(['0', '1', '2']);
  });

  it('refuses a body cut off inside a part, or without any delimiter', async () => {
    await expect(collect(body.subarray(0, body.length - 40), boundary, 16)).rejects.toThrow(/cut off/);
    await expect(collect(Buffer.from('no parts here'), boundary, 4)).rejects.toThrow(AppError);
    await expect(collect(Buffer.from(`--${boundary}\r\nbroken header line\r\n\r\nx\r\n--${boundary}--`), boundary, 4)).rejects.toThrow(/malformed header/);
  });

  it('reads boundaries and parameters from Content-Type, and refuses other media types', () => {
    expect(multipartBoundary('multipart/related; type="application/dicom"; boundary="a b:c"')).toBe('a b:c');
    expect(multipartBoundary('Multipart/Related;boundary=xyz')).toBe('xyz');
    expect(contentTypeParameter('multipart/related; type="application/dicom"; boundary=x', 'type')).toBe('application/dicom');
    expect(() => multipartBoundary('application/json')).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_MEDIA_TYPE' }));
    expect(() => multipartBoundary('multipart/related; type=application/dicom')).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
  });
});
