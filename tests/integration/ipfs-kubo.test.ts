/**
 * The Kubo RPC backend against tests/helpers/kubo-rpc-test-server.ts (Kubo's RPC subset over a Helia node),
 * compared with the embedded backend on the same content.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemporaryHeliaNode } from '@/lib/ipfs/create-helia-node';
import type { HeliaBackend } from '@/lib/ipfs/helia-backend';
import type { IpfsAddResult } from '@/lib/ipfs/ipfs-backend';
import { createKuboBackend, type KuboBackend } from '@/lib/ipfs/kubo-backend';
import { collect, entriesOf, MiB, readVerifiedCar, SAMPLE_FILES } from '../helpers/ipfs';
import { startKuboRpcTestServer, type KuboRpcTestServer } from '../helpers/kubo-rpc-test-server';

let server: KuboRpcTestServer;
let kubo: KuboBackend;
let helia: HeliaBackend;
let added: IpfsAddResult;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  server = await startKuboRpcTestServer();
  kubo = createKuboBackend({ url: server.url, timeoutMs: 5_000 });
  helia = await createTemporaryHeliaNode({ timeoutMs: 5_000, listen: [] });
  const progress: number[] = [];
  added = await kubo.addDirectory(entriesOf(SAMPLE_FILES), { pin: true, onProgress: (n) => progress.push(n) });
  expect(progress.at(-1)).toBe(SAMPLE_FILES.reduce((n, f) => n + f.content.length, 0));
});

afterAll(async () => {
  for (const close of closers) await close();
  await helia?.stop();
  await server?.close();
});

describe('Kubo RPC backend', () => {
  it('publishes the same CIDs as the embedded Helia backend for the same content', async () => {
    const viaHelia = await helia.addDirectory(entriesOf(SAMPLE_FILES));
    expect(added).toEqual(viaHelia);
    // Added as a CAR through dag/import (roots not pinned by the import), then pinned by CID.
    expect(server.requests.filter((r) => r.startsWith('dag/import'))).toEqual(['dag/import?pin-roots=false']);
    expect(server.requests).toContain(`pin/add?recursive=true&stream=true&arg=${added.cid}`);
    expect(await server.node.isPinned(added.cid)).toBe(true);
  });

  it('reads, stats and lists what it added, offline when asked', async () => {
    for (const f of SAMPLE_FILES) expect((await collect(kubo.cat(added.cid, { path: f.path }))).equals(f.content), f.path).toBe(true);
    const big = SAMPLE_FILES.find((f) => f.path === 'series-1/0002.dcm')!.content;
    const slice = await collect(kubo.cat(added.cid, { path: 'series-1/0002.dcm', offset: MiB - 3, length: 7, offline: true }));
    expect(slice.equals(big.subarray(MiB - 3, MiB + 4))).toBe(true);
    expect(server.requests.at(-1)).toBe(`cat?offset=${MiB - 3}&length=7&offline=true&arg=%2Fipfs%2F${added.cid}%2Fseries-1%2F0002.dcm`);

    expect(await kubo.stat(added.cid)).toEqual(await helia.stat(added.cid));
    expect(await kubo.stat(added.cid, 'series-1/0002.dcm', { offline: true })).toEqual(await helia.stat(added.cid, 'series-1/0002.dcm'));
    expect(await kubo.ls(added.cid)).toEqual(await helia.ls(added.cid));
    expect(await kubo.ls(added.cid, 'series-2/labels')).toEqual(await helia.ls(added.cid, 'series-2/labels'));
    const empty = await kubo.addDirectory([]);
    expect(await kubo.ls(empty.cid)).toEqual([]);
    expect(Buffer.from(await kubo.getBlock(added.cid, { offline: true })).equals(await helia.getBlock(added.cid))).toBe(true);
    expect(await kubo.has(added.cid)).toBe(true);
    const nobodys = (await helia.addDirectory([{ path: 'only-in-helia.txt', content: new TextEncoder().encode('not in kubo') }])).files[0]!.cid;
    expect(await kubo.has(nobodys)).toBe(false);
    expect(server.requests.at(-1)).toBe(`block/stat?offline=true&arg=${nobodys}`);
  });

  it('maps Kubo’s errors: missing path NOT_FOUND, directory read as a file BAD_REQUEST', async () => {
    await expect(kubo.stat(added.cid, 'nope.txt')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(collect(kubo.cat(added.cid, { path: 'series-1' }))).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(kubo.ls(added.cid, 'manifest.json')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('pins and unpins idempotently', async () => {
    const other = await kubo.addDirectory([{ path: 'k.txt', content: new TextEncoder().encode('kubo pin') }]);
    expect(await kubo.isPinned(other.cid)).toBe(false);
    await kubo.pin(other.cid);
    await kubo.pin(other.cid);
    expect(await kubo.isPinned(other.cid)).toBe(true);
    await kubo.unpin(other.cid);
    await kubo.unpin(other.cid);
    expect(await kubo.isPinned(other.cid)).toBe(false);
  });

  it('exports a CAR (every block verified) and imports one, refusing tampered blocks', async () => {
    const car = await collect(kubo.exportCar(added.cid, { offline: true }));
    expect(server.requests.at(-1)).toBe(`dag/export?arg=${added.cid}&offline=true`);
    const { roots, blocks } = await readVerifiedCar(car);
    expect(roots).toEqual([added.cid]);
    expect(blocks.size).toBeGreaterThan(SAMPLE_FILES.length);

    const fromHelia = await collect(helia.exportCar(added.cid));
    const otherServer = await startKuboRpcTestServer();
    closers.push(() => otherServer.close());
    const other = createKuboBackend({ url: otherServer.url, timeoutMs: 5_000 });
    expect(await other.importCar((async function* () { yield fromHelia; })())).toEqual({ roots: [added.cid], blocks: blocks.size });
    expect((await collect(other.cat(added.cid, { path: 'series-1/0002.dcm', offline: true }))).length).toBe(2.5 * MiB);

    const tampered = Buffer.from(fromHelia);
    const at = tampered.indexOf(Buffer.from('"sample"'));
    expect(at).toBeGreaterThan(0);
    tampered[at]! ^= 0xff;
    await expect(other.importCar((async function* () { yield tampered; })())).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/does not match/) });
  });

  it('reports the Kubo node’s peer id', async () => {
    expect(await kubo.info()).toEqual({ backend: 'kubo', peerId: server.node.peerId, multiaddrs: (await server.node.info()).multiaddrs });
  });

  it('sends credentials given in the URL as Basic auth, and says so when they are refused', async () => {
    const guarded = await startKuboRpcTestServer({ auth: 'cohort:s3cret' });
    closers.push(() => guarded.close());
    const withAuth = createKuboBackend({ url: guarded.url.replace('http://', 'http://cohort:s3cret@'), timeoutMs: 5_000 });
    expect((await withAuth.info()).peerId).toBe(guarded.node.peerId);
    const wrong = createKuboBackend({ url: guarded.url.replace('http://', 'http://cohort:wrong@'), timeoutMs: 5_000 });
    await expect(wrong.info()).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: expect.stringMatching(/credentials/) });
  });
});

describe('an unreachable Kubo', () => {
  it('refusing connections: SERVICE_UNAVAILABLE at once', async () => {
    const dead = createKuboBackend({ url: `http://127.0.0.1:${await freePort()}`, timeoutMs: 5_000 });
    const started = Date.now();
    await expect(dead.info()).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: expect.stringMatching(/unreachable \(ECONNREFUSED\)/) });
    await expect(dead.addDirectory(entriesOf(SAMPLE_FILES))).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    await expect(collect(dead.cat(added.cid))).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('accepting but never answering: SERVICE_UNAVAILABLE after the timeout, not a hang', async () => {
    const sockets = new Set<net.Socket>();
    const blackhole = net.createServer((s) => sockets.add(s));
    await new Promise<void>((resolve) => blackhole.listen(0, '127.0.0.1', resolve));
    closers.push(async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => blackhole.close(() => resolve()));
    });
    const silent = createKuboBackend({ url: `http://127.0.0.1:${(blackhole.address() as net.AddressInfo).port}`, timeoutMs: 300 });
    for (const attempt of [() => silent.info(), () => silent.pin(added.cid), () => silent.addDirectory(entriesOf(SAMPLE_FILES)), () => collect(silent.exportCar(added.cid))]) {
      const started = Date.now();
      await expect(attempt()).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: expect.stringMatching(/did not answer within 300 ms/) });
      expect(Date.now() - started).toBeLessThan(2_000);
    }
  });
});

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
