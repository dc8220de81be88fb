import { randomBytes } from 'node:crypto';
import { multipartBoundary, readMultipart } from '../../lib/dicomweb/multipart';

/** A multipart/related body of application/dicom parts, as a STOW-RS client sends it. */
export function stowBody(files: Uint8Array[], { boundary = `cohort-${randomBytes(8).toString('hex')}` } = {}) {
  const chunks: Buffer[] = [Buffer.from('preamble, ignored\r\n')];
  for (const file of files) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`), Buffer.from(file), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: new Uint8Array(Buffer.concat(chunks)), contentType: `multipart/related; type="application/dicom"; boundary=${boundary}` };
}

/** A multipart/form-data body (RFC 7578), as a browser's FormData sends it. */
export function formDataBody(fields: { name: string; filename?: string; type?: string; body: Uint8Array | string }[], { boundary = `----cohort${randomBytes(8).toString('hex')}` } = {}) {
  const chunks: Buffer[] = [];
  for (const f of fields) {
    const disposition = `form-data; name="${f.name}"${f.filename ? `; filename="${f.filename}"` : ''}`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\nContent-Type: ${f.type ?? 'application/octet-stream'}\r\n\r\n`), Buffer.from(f.body), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: new Uint8Array(Buffer.concat(chunks)), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** The parts of a multipart/related response (WADO-RS), each with its Content-Type and bytes. */
export async function responseParts(res: Response): Promise<{ type: string; bytes: Buffer }[]> {
  const out: { type: string; bytes: Buffer }[] = [];
  for await (const part of readMultipart(res.body as unknown as AsyncIterable<Uint8Array>, multipartBoundary(res.headers.get('content-type')))) {
    const chunks: Buffer[] = [];
    for await (const chunk of part.body) chunks.push(Buffer.from(chunk));
    out.push({ type: part.headers.get('content-type') ?? '', bytes: Buffer.concat(chunks) });
  }
  return out;
}
