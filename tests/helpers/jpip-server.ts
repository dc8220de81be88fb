import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A JPIP server for tests (ISO/IEC 15444-9 over HTTP): stateless requests for a whole image at full
 * size (`target`, `fsiz`, `type=jpt-stream`), answered as a JPT-stream: the main header data-bin and
 * each tile's data-bin, cut into messages of at most `messageBytes` and sent tiles last-first, so the
 * reader has to put them back in order. Its streams are checked against OpenJPEG's own JPT-stream
 * reader (opj_jpip_transcode) in tests/integration/jpip-referenced.test.ts. Debian's JPIP server,
 * opj_server, cannot serve the files its own encoder indexes (their index box is empty).
 */
export type JpipServer = { origin: string; requests: URL[]; close(): Promise<void> };

export async function startJpipServer(targets: Record<string, { codestream: Uint8Array; columns: number; rows: number }>, { messageBytes = 1000, contentType = 'image/jpt-stream', port = 0 } = {}): Promise<JpipServer> {
  const requests: URL[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(url);
    const image = targets[url.searchParams.get('target') ?? ''];
    if (!image) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('No such target.');
    if (url.searchParams.get('fsiz') !== `${image.columns},${image.rows}`) return void res.writeHead(501, { 'content-type': 'text/plain' }).end('Only the full size is served.');
    if (!(url.searchParams.get('type') ?? '').split(',').includes('jpt-stream')) return void res.writeHead(406, { 'content-type': 'text/plain' }).end('Only JPT-streams.');
    res.writeHead(200, { 'content-type': contentType, 'jpip-tid': url.searchParams.get('target')!, 'cache-control': 'no-cache' }).end(jptStream(image.codestream, messageBytes));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A codestream as a JPT-stream (A.2, A.3.4, A.3.5), then End Of Response (reason 1: image done). */
export function jptStream(codestream: Uint8Array, messageBytes = 1000): Buffer {
  const { main, tiles } = dataBins(codestream);
  const messages: Buffer[] = [];
  const send = (classId: number, inClassId: number, bin: Uint8Array) => {
    for (let offset = 0; offset < bin.length; offset += messageBytes) {
      const body = bin.subarray(offset, offset + messageBytes);
      const last = offset + body.length === bin.length;
      messages.push(Buffer.concat([binId(inClassId, last), vbas(classId), vbas(0), vbas(offset), vbas(body.length), body]));
    }
  };
  send(6, 0, main);
  for (const [index, bin] of [...tiles].reverse()) send(4, index, bin);
  return Buffer.concat([...messages, Buffer.from([0x00, 0x01, 0x00])]);
}

/** The main header (SOC up to the first SOT) and each tile's tile-parts, SOT marker segments included, by tile index. */
function dataBins(codestream: Uint8Array): { main: Uint8Array; tiles: Map<number, Uint8Array> } {
  const view = Buffer.from(codestream.buffer, codestream.byteOffset, codestream.byteLength);
  if (view.readUInt16BE(0) !== 0xff4f) throw new Error('Not a JPEG 2000 codestream.');
  let at = 2;
  while (view.readUInt16BE(at) !== 0xff90) at += 2 + view.readUInt16BE(at + 2);
  const main = codestream.subarray(0, at);
  const parts = new Map<number, Uint8Array[]>();
  while (view.readUInt16BE(at) === 0xff90) {
    const tile = view.readUInt16BE(at + 4);
    const length = view.readUInt32BE(at + 6) || view.length - 2 - at;
    parts.set(tile, [...(parts.get(tile) ?? []), codestream.subarray(at, at + length)]);
    at += length;
  }
  return { main, tiles: new Map([...parts].map(([tile, p]) => [tile, Buffer.concat(p)])) };
}

/** A Bin-ID with class and codestream present (indicator 3): 4 bits of the id in its first byte, 7 in each further. */
function binId(id: number, last: boolean): Buffer {
  const groups: number[] = [];
  while (id >= 16) {
    groups.unshift(id & 0x7f);
    id = Math.floor(id / 128);
  }
  return Buffer.from([(groups.length ? 0x80 : 0) | (3 << 5) | (last ? 0x10 : 0) | id, ...groups.map((g, i) => (i < groups.length - 1 ? 0x80 : 0) | g)]);
}

function vbas(value: number): Buffer {
  const groups = [value & 0x7f];
  for (value = Math.floor(value / 128); value > 0; value = Math.floor(value / 128)) groups.unshift(0x80 | (value & 0x7f));
  return Buffer.from(groups);
}
