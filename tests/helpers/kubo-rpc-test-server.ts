/**
 * A stand-in for Kubo's RPC API (Kubo cannot be installed here): a node:http server speaking the subset
 * of `/api/v0` Cohort's Kubo backend calls, over a Helia node of its own. Requests, parameters, response
 * bodies and error shapes follow Kubo's (HTTP 500 + `{ Message, Code, Type: "error" }`, POST only), and the
 * error messages are Kubo's own wording, so lib/ipfs's mapping of them is exercised too.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '@/lib/errors/app-error';
import { createTemporaryHeliaNode } from '@/lib/ipfs/create-helia-node';
import type { HeliaBackend } from '@/lib/ipfs/helia-backend';
import { multipartBoundary, readMultipart } from '@/lib/dicomweb/multipart';
import { parseCid } from '@/lib/ipfs/parse-cid';

export type KuboRpcTestServer = {
  url: string;
  /** The Helia node standing in for Kubo's repository. */
  node: HeliaBackend;
  /** Every request, as `<command>?<query>`, for assertions on what the backend sent. */
  requests: string[];
  close(): Promise<void>;
};

type Handler = (q: URLSearchParams, req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;

/** `auth`: "user:password" the server requires as Basic auth (401 otherwise), like a Cluster proxy with basic auth. */
export async function startKuboRpcTestServer({ auth }: { auth?: string } = {}): Promise<KuboRpcTestServer> {
  const node = await createTemporaryHeliaNode({ timeoutMs: 2_000 });
  const requests: string[] = [];

  const handlers: Record<string, Handler> = {
    id: async (_q, _req, res) => {
      const info = await node.info();
      json(res, { ID: info.peerId, PublicKey: '', Addresses: info.multiaddrs, AgentVersion: 'kubo/0.0.0-cohort-test', ProtocolVersion: 'ipfs/0.1.0', Protocols: [] });
    },
    'dag/import': async (q, req, res) => {
      const boundary = multipartBoundary(req.headers['content-type'] ?? null, 'form-data');
      const out: string[] = [];
      for await (const part of readMultipart(req, boundary)) {
        const { roots } = await node.importCar(part.body);
        if (q.get('pin-roots') !== 'false') {
          for (const root of roots) {
            await node.pin(root);
            out.push(JSON.stringify({ Root: { Cid: { '/': root }, PinErrorMsg: '' } }));
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(out.map((l) => l + '\n').join(''));
    },
    cat: async (q, _req, res) => {
      const { cid, path } = ipfsPathOf(arg(q));
      const offset = q.get('offset') ? Number(q.get('offset')) : undefined;
      const length = q.get('length') ? Number(q.get('length')) : undefined;
      const s = await node.stat(cid, path, { offline: offline(q) });
      if (s.type === 'directory') throw kubo('this dag node is a directory');
      await stream(res, 'text/plain', node.cat(cid, { path, offset, length, offline: offline(q) }));
    },
    ls: async (q, _req, res) => {
      const { cid, path } = ipfsPathOf(arg(q));
      const s = await node.stat(cid, path, { offline: offline(q) });
      const links =
        s.type === 'directory'
          ? (await node.ls(cid, path, { offline: offline(q) })).map((e) => ({ Name: e.name, Hash: e.cid, Size: e.size, Type: e.type === 'directory' ? 1 : 2, Target: '' }))
          : [];
      json(res, { Objects: [{ Hash: arg(q), Links: links }] });
    },
    'files/stat': async (q, _req, res) => {
      const { cid, path } = ipfsPathOf(arg(q));
      const s = await node.stat(cid, path, { offline: offline(q) });
      json(res, { Hash: s.cid, Size: s.size, CumulativeSize: s.size, Blocks: 0, Type: s.type, WithLocality: false });
    },
    'pin/add': async (q, _req, res) => {
      const cid = parseCid(arg(q)).toString();
      await node.pin(cid);
      json(res, { Pins: [cid] });
    },
    'pin/rm': async (q, _req, res) => {
      const cid = parseCid(arg(q)).toString();
      if (!(await node.isPinned(cid))) throw kubo('not pinned or pinned indirectly');
      await node.unpin(cid);
      json(res, { Pins: [cid] });
    },
    'pin/ls': async (q, _req, res) => {
      const keys: Record<string, { Type: string }> = {};
      for (const a of q.getAll('arg')) {
        const cid = parseCid(a).toString();
        if (!(await node.isPinned(cid))) throw kubo(`path '${a}' is not pinned`);
        keys[cid] = { Type: 'recursive' };
      }
      json(res, { Keys: keys });
    },
    'dag/export': async (q, _req, res) => {
      const cid = parseCid(arg(q)).toString();
      await stream(res, 'application/vnd.ipld.car', node.exportCar(cid, { offline: offline(q) }));
    },
    'block/get': async (q, _req, res) => {
      const block = await node.getBlock(parseCid(arg(q)).toString(), { offline: offline(q) });
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(block);
    },
    'block/stat': async (q, _req, res) => {
      const cid = parseCid(arg(q)).toString();
      const block = await node.getBlock(cid, { offline: offline(q) });
      json(res, { Key: cid, Size: block.byteLength });
    },
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://kubo');
    const command = url.pathname.replace(/^\/api\/v0\//, '');
    requests.push(`${command}?${url.searchParams}`);
    if (auth && req.headers.authorization !== `Basic ${Buffer.from(auth).toString('base64')}`) {
      res.writeHead(401, { 'content-type': 'text/plain' }).end('401 - Unauthorized');
      return;
    }
    // Kubo answers RPC over POST only.
    if (req.method !== 'POST') {
      res.writeHead(405, { 'content-type': 'text/plain' }).end('405 - Method Not Allowed');
      return;
    }
    const handler = handlers[command];
    if (!handler) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found');
      return;
    }
    handler(url.searchParams, req, res).catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy(err as Error);
        return;
      }
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ Message: kuboMessage(err), Code: 0, Type: 'error' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    node,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await node.stop();
    },
  };
}

class KuboError extends Error {}
const kubo = (message: string) => new KuboError(message);

/** Kubo's wording for what went wrong. */
function kuboMessage(err: unknown): string {
  if (err instanceof KuboError) return err.message;
  if (err instanceof AppError) {
    if (err.code === 'NOT_FOUND') return `block was not found locally (offline): ipld: could not find node (${err.message})`;
    if (/is a directory/.test(err.message)) return 'this dag node is a directory';
    if (/not a directory/.test(err.message)) return 'this dag node is not a directory';
    return `invalid path: ${err.message}`;
  }
  return err instanceof Error ? err.message : String(err);
}

function arg(q: URLSearchParams): string {
  const value = q.get('arg');
  if (!value) throw kubo('argument "key" is required');
  return value;
}

function offline(q: URLSearchParams): boolean {
  return q.get('offline') === 'true';
}

/** "/ipfs/<cid>/a/b", "<cid>/a/b" or "<cid>". */
function ipfsPathOf(value: string): { cid: string; path: string } {
  const [cid = '', ...rest] = value.replace(/^\/ipfs\//, '').split('/');
  return { cid: parseCid(cid).toString(), path: rest.join('/') };
}

function json(res: http.ServerResponse, body: unknown) {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body) + '\n');
}

/** Streams a body, answering an error as Kubo would when it fails before the first byte. */
async function stream(res: http.ServerResponse, type: string, source: AsyncIterable<Uint8Array>) {
  const iterator = source[Symbol.asyncIterator]();
  const first = await iterator.next();
  res.writeHead(200, { 'content-type': type, 'x-stream-output': '1' });
  for (let next = first; !next.done; next = await iterator.next()) {
    if (!res.write(next.value)) await new Promise((resolve) => res.once('drain', resolve));
  }
  res.end();
}
