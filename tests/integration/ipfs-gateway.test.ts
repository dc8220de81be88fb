/**
 * GET/HEAD /ipfs/<cid>/<path…>: the route handler Next serves, called in-process against the installation's
 * embedded node.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as gatewayRoute from '@/app/ipfs/[cid]/[[...path]]/route';
import { getIpfs, stopIpfs } from '@/lib/ipfs/get-ipfs';
import { importDirectory } from '@/lib/ipfs/import-directory';
import type { IpfsAddResult } from '@/lib/ipfs/ipfs-backend';
import { CID } from 'multiformats/cid';
import { callRoute, ORIGIN } from '../helpers/api';
import { collect, MiB, readVerifiedCar, seededBytes } from '../helpers/ipfs';

const big = seededBytes(2.5 * MiB, 11);
const FILES = [
  { path: 'hello.txt', content: new TextEncoder().encode('hello world\n') },
  { path: 'data/big.bin', content: big },
  { path: 'data/labels.json', content: new TextEncoder().encode('{"labels":[1,2,3]}') },
  { path: 'page.html', content: new TextEncoder().encode('<script>alert(document.cookie)</script>') },
  { path: 'empty.txt', content: new Uint8Array() },
];
let added: IpfsAddResult;
const cidOf = (p: string) => added.files.find((f) => f.path === p)!.cid;

beforeAll(async () => {
  added = await (await getIpfs()).addDirectory(FILES, { pin: true });
});

afterAll(() => stopIpfs());

/** The handler as Next calls it, keeping the body as bytes (callRoute decodes it as text). */
async function get(cid: string, path: string[] = [], { query = '', headers = {}, method = 'GET' }: { query?: string; headers?: Record<string, string>; method?: string } = {}) {
  const handler = gatewayRoute[method as 'GET' | 'HEAD'];
  const res = await handler(new Request(`${ORIGIN}/ipfs/${cid}/${path.join('/')}${query}`, { method, headers }), { params: Promise.resolve({ cid, path }) });
  return { res, body: Buffer.from(await res.arrayBuffer()) };
}

describe('IPFS gateway', () => {
  it('serves a file with its CID as ETag, cached for a year as immutable, without a session', async () => {
    const { res, body } = await get(added.cid, ['hello.txt']);
    expect(res.status).toBe(200);
    expect(body.toString()).toBe('hello world\n');
    expect(res.headers.get('etag')).toBe(`"${cidOf('hello.txt')}"`);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(res.headers.get('content-length')).toBe('12');
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('x-ipfs-path')).toBe(`/ipfs/${added.cid}/hello.txt`);
    // A file's own CID works as well as its path.
    expect((await get(cidOf('data/big.bin'))).body.equals(big)).toBe(true);
    expect((await get(added.cid, ['empty.txt'])).body.length).toBe(0);
  });

  it('never serves script on Cohort’s origin: HTML is an opaque download in a sandbox', async () => {
    const { res } = await get(added.cid, ['page.html']);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers a byte range with 206, across a 1 MiB chunk boundary, and suffix ranges', async () => {
    const { res, body } = await get(added.cid, ['data', 'big.bin'], { headers: { range: `bytes=${MiB - 5}-${MiB + 4}` } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes ${MiB - 5}-${MiB + 4}/${big.length}`);
    expect(res.headers.get('content-length')).toBe('10');
    expect(body.equals(big.subarray(MiB - 5, MiB + 5))).toBe(true);
    const suffix = await get(added.cid, ['data', 'big.bin'], { headers: { range: 'bytes=-100' } });
    expect(suffix.res.status).toBe(206);
    expect(suffix.body.equals(big.subarray(big.length - 100))).toBe(true);
    // If-Range naming another version: the whole file.
    const stale = await get(added.cid, ['data', 'big.bin'], { headers: { range: 'bytes=0-9', 'if-range': '"bafkstale"' } });
    expect(stale.res.status).toBe(200);
    expect(stale.body.length).toBe(big.length);
  });

  it('answers 416 with the size for a range past the end', async () => {
    const { res } = await get(added.cid, ['hello.txt'], { headers: { range: 'bytes=12-20' } });
    expect(res.status).toBe(416);
    expect(res.headers.get('content-range')).toBe('bytes */12');
    expect((await get(added.cid, ['empty.txt'], { headers: { range: 'bytes=0-' } })).res.status).toBe(416);
  });

  it('answers HEAD with the headers of GET and no body, without reading the file', async () => {
    const { res, body } = await get(added.cid, ['data', 'big.bin'], { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(big.length));
    expect(res.headers.get('etag')).toBe(`"${cidOf('data/big.bin')}"`);
    expect(body.length).toBe(0);
    const dir = await get(added.cid, [], { method: 'HEAD' });
    expect(dir.res.status).toBe(200);
    expect(dir.res.headers.get('content-type')).toBe('application/json');
  });

  it('answers 304 to a request that already has this CID', async () => {
    const { res, body } = await get(added.cid, ['hello.txt'], { headers: { 'if-none-match': `W/"x", "${cidOf('hello.txt')}"` } });
    expect(res.status).toBe(304);
    expect(body.length).toBe(0);
  });

  it('lists a directory as JSON', async () => {
    const res = await callRoute(gatewayRoute, 'GET', `/ipfs/${added.cid}/data`, { params: { cid: added.cid, path: ['data'] as unknown as string } });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      cid: expect.any(String),
      path: `/ipfs/${added.cid}/data`,
      type: 'directory',
      entries: [
        { name: 'big.bin', cid: cidOf('data/big.bin'), type: 'file', size: big.length },
        { name: 'labels.json', cid: cidOf('data/labels.json'), type: 'file', size: 18 },
      ],
    });
    const root = await callRoute(gatewayRoute, 'GET', `/ipfs/${added.cid}`, { params: { cid: added.cid } });
    expect((root.json.entries as { name: string; type: string }[]).map((e) => `${e.name}:${e.type}`)).toEqual(['data:directory', 'empty.txt:file', 'hello.txt:file', 'page.html:file']);
  });

  it('says 404 for a CID this node does not have and for a path that does not exist, 400 for what is not a CID or a path', async () => {
    const elsewhere = (await importDirectory([{ path: 'x', content: seededBytes(32, 5) }], { put: async (c) => c })).cid;
    for (const [cid, path] of [[elsewhere, []], [added.cid, ['nope.txt']], [added.cid, ['hello.txt', 'deeper']]] as const) {
      const res = await callRoute(gatewayRoute, 'GET', `/ipfs/${cid}`, { params: { cid, path: path as unknown as string } });
      expect(res.status, `${cid}/${path.join('/')}`).toBe(404);
      expect(res.json).toMatchObject({ error: 'NOT_FOUND', message: expect.any(String) });
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
    for (const [cid, path, query] of [['not-a-cid', [], ''], ['QmNope', [], ''], [added.cid, ['..', 'etc'], ''], [added.cid, [], '?format=tar']] as const) {
      const res = await callRoute(gatewayRoute, 'GET', `/ipfs/${cid}${query}`, { params: { cid, path: path as unknown as string } });
      expect(res.status, `${cid}/${path.join('/')}${query}`).toBe(400);
      expect(res.json).toMatchObject({ error: 'BAD_REQUEST' });
    }
  });

  it('?format=raw (or Accept: application/vnd.ipld.raw) returns one block whose bytes hash to the CID', async () => {
    for (const request of [{ query: '?format=raw' }, { headers: { accept: 'application/vnd.ipld.raw' } }]) {
      const { res, body } = await get(added.cid, [], request);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/vnd.ipld.raw');
      expect(res.headers.get('etag')).toBe(`"${added.cid}.raw"`);
      expect(createHash('sha256').update(body).digest().equals(Buffer.from(CID.parse(added.cid).multihash.digest))).toBe(true);
    }
    // A raw leaf's block is the file itself.
    const leaf = await get(added.cid, ['hello.txt'], { query: '?format=raw' });
    expect(leaf.body.toString()).toBe('hello world\n');
    expect(leaf.res.headers.get('x-ipfs-roots')).toBe(cidOf('hello.txt'));
  });

  it('?format=car (or Accept: application/vnd.ipld.car) returns the whole DAG, every block verifiable', async () => {
    for (const request of [{ query: '?format=car' }, { headers: { accept: 'application/vnd.ipld.car' } }]) {
      const { res, body } = await get(added.cid, [], request);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/vnd\.ipld\.car; version=1/);
      expect(res.headers.get('etag')).toBe(`"${added.cid}.car"`);
      const { roots, blocks } = await readVerifiedCar(body);
      expect(roots).toEqual([added.cid]);
      for (const f of added.files) expect(blocks.has(f.cid), f.path).toBe(true);
      const direct = await readVerifiedCar(await collect((await getIpfs()).exportCar(added.cid)));
      expect([...blocks.keys()].sort()).toEqual([...direct.blocks.keys()].sort());
    }
    const sub = await get(added.cid, ['data'], { query: '?format=car' });
    const { roots } = await readVerifiedCar(sub.body);
    const dataCid = (await (await getIpfs()).stat(added.cid, 'data')).cid;
    expect(roots).toEqual([dataCid]);
  });
});
