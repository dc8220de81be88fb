import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { IpfsBackend } from '@/lib/ipfs/ipfs-backend';
import { serveGateway } from '@/lib/ipfs/serve-gateway';
import * as revocations from '@/app/api/dataset-revocations/[cid]/route';

/**
 * The parts of Cohort a dataset holder talks to, on a loopback HTTP port: the gateway
 * (lib/ipfs/serve-gateway.ts) over `ipfs`, and revocations.json. `tamper` may change the bytes of a
 * response body (a gateway that corrupts blocks).
 */
export async function startGatewayServer(ipfs: IpfsBackend, { tamper }: { tamper?: (body: Buffer) => Buffer } = {}) {
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const [, prefix, cid, ...path] = url.pathname.split('/');
    const request = new Request(url, { method: req.method, headers: req.headers as Record<string, string> });
    let answer: Response;
    if (prefix === 'ipfs' && cid) answer = await serveGateway(request, { cid, path }, ipfs);
    else if (url.pathname.startsWith('/api/dataset-revocations/')) answer = await revocations.GET(request, { params: Promise.resolve({ cid: url.pathname.split('/').at(-1)! }) });
    else return void res.writeHead(404).end();
    res.writeHead(answer.status, Object.fromEntries(answer.headers));
    if (!answer.body) return void res.end();
    if (!tamper) return void Readable.fromWeb(answer.body as import('node:stream/web').ReadableStream).pipe(res);
    res.end(tamper(Buffer.from(await answer.arrayBuffer())));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
