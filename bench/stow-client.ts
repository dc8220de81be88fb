/**
 * Child of ingest.bench.ts: a STOW-RS client in a process of its own (as a modality or gateway is),
 * so the server measured does not share its event loop. Streams the files of a folder as one
 * multipart/related request, reading each from disk as it goes, and prints the wall time from the
 * first byte sent to the last byte of the answer: STOW {"ms": n, "status": n, "bytes": n}.
 * Usage: stow-client.ts <folder> <url> [authorization]
 */
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const [folder, url, authorization] = process.argv.slice(2) as [string, string, string?];
const names = readdirSync(folder).sort();
const boundary = 'cohort-bench-boundary';
const started = performance.now();
const request = http.request(url, {
  method: 'POST',
  headers: {
    'content-type': `multipart/related; type="application/dicom"; boundary=${boundary}`,
    accept: 'application/dicom+json',
    ...(authorization ? { authorization } : {}),
  },
});
const answered = new Promise<http.IncomingMessage>((resolve, reject) => request.on('response', resolve).on('error', reject));
let bytes = 0;
for (const name of names) {
  const file = readFileSync(path.join(folder, name));
  bytes += file.length;
  request.write(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`);
  if (!request.write(file)) await new Promise((resolve) => request.once('drain', resolve));
  request.write('\r\n');
}
request.end(`--${boundary}--\r\n`);
const response = await answered;
let body = '';
for await (const chunk of response) body += chunk;
const ms = performance.now() - started;
if (response.statusCode !== 200) process.stderr.write(body.slice(0, 2000));
process.stdout.write(`STOW ${JSON.stringify({ ms, status: response.statusCode, bytes })}\n`);
