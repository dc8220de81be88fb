/**
 * The embedded Helia backend with real blocks on disk and real nodes on loopback: the installation's node
 * (getIpfs, under this test file's fresh data directory) and throw-away nodes that dial it.
 */
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env } from '@/lib/config/env';
import { createHeliaBackend, createTemporaryHeliaNode } from '@/lib/ipfs/create-helia-node';
import { getIpfs, stopIpfs } from '@/lib/ipfs/get-ipfs';
import type { HeliaBackend } from '@/lib/ipfs/helia-backend';
import { importDirectory } from '@/lib/ipfs/import-directory';
import type { IpfsAddResult, IpfsBackend } from '@/lib/ipfs/ipfs-backend';
import { collect, entriesOf, MiB, readVerifiedCar, SAMPLE_FILES, seededBytes } from '../helpers/ipfs';

let ipfs: IpfsBackend;
let added: IpfsAddResult;
const temporary: HeliaBackend[] = [];
const fileOf = (p: string) => SAMPLE_FILES.find((f) => f.path === p)!;
/** A CID that no node here has: a raw block of bytes nobody added. */
const nobodysCid = async () => (await importDirectory([{ path: 'x', content: seededBytes(64, 999) }], { put: async (c) => c })).files[0]!.cid;

beforeAll(async () => {
  ipfs = await getIpfs();
  added = await ipfs.addDirectory(entriesOf(SAMPLE_FILES), { pin: true });
});

afterAll(async () => {
  for (const node of temporary) await node.stop();
  await stopIpfs();
});

describe('embedded Helia node', () => {
  it('is one node per process, on the data directory, listening on loopback only', async () => {
    expect(await getIpfs()).toBe(ipfs);
    const info = await ipfs.info();
    expect(info).toMatchObject({ backend: 'helia', peerId: expect.stringMatching(/^12D3KooW/) });
    expect(info.multiaddrs.length).toBeGreaterThan(0);
    for (const address of info.multiaddrs) expect(address).toMatch(new RegExp(`^/ip4/127\\.0\\.0\\.1/tcp/\\d+/p2p/${info.peerId}$`));
    expect(env.ipfsDir).toBe(path.join(env.dataDir, 'ipfs'));
  });

  it('refuses a second node on the same repository while the first runs', async () => {
    await expect(createHeliaBackend({ dir: env.ipfsDir, listen: [], timeoutMs: 1_000 })).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: expect.stringMatching(/in use/) });
  });

  it('adds a nested directory with the CIDs the importer computes on its own, each file with its size', async () => {
    const independent = await importDirectory(SAMPLE_FILES, { put: async (c) => c });
    expect(added).toEqual(independent);
    expect(added.files.map((f) => [f.path, f.size])).toEqual(SAMPLE_FILES.map((f) => [f.path, f.content.length]));
  });

  it('reads files whole and in slices, across chunk boundaries, and only from local blocks when offline', async () => {
    for (const f of SAMPLE_FILES) expect((await collect(ipfs.cat(added.cid, { path: f.path, offline: true }))).equals(f.content), f.path).toBe(true);
    const big = fileOf('series-1/0002.dcm').content;
    const slice = await collect(ipfs.cat(added.cid, { path: 'series-1/0002.dcm', offset: MiB - 10, length: 20 }));
    expect(slice.equals(big.subarray(MiB - 10, MiB + 10))).toBe(true);
    const tail = await collect(ipfs.cat(added.cid, { path: 'series-1/0002.dcm', offset: 2 * MiB }));
    expect(tail.equals(big.subarray(2 * MiB))).toBe(true);
    // A file's own CID reads the same bytes as its path.
    const file = added.files.find((f) => f.path === 'series-1/0001.dcm')!;
    expect((await collect(ipfs.cat(file.cid))).equals(fileOf(file.path).content)).toBe(true);
  });

  it('stats and lists files and directories', async () => {
    expect(await ipfs.stat(added.cid)).toEqual({ cid: added.cid, type: 'directory', size: 0 });
    const big = added.files.find((f) => f.path === 'series-1/0002.dcm')!;
    expect(await ipfs.stat(added.cid, 'series-1/0002.dcm')).toEqual({ cid: big.cid, type: 'file', size: 2.5 * MiB });
    expect(await ipfs.stat(big.cid)).toEqual({ cid: big.cid, type: 'file', size: 2.5 * MiB });
    const root = await ipfs.ls(added.cid);
    expect(root.map((e) => [e.name, e.type])).toEqual([
      ['empty.txt', 'file'],
      ['manifest.json', 'file'],
      ['series-1', 'directory'],
      ['series-2', 'directory'],
    ]);
    const series = await ipfs.ls(added.cid, 'series-1', { offline: true });
    expect(series).toEqual(added.files.filter((f) => f.path.startsWith('series-1/')).map((f) => ({ name: path.basename(f.path), cid: f.cid, type: 'file', size: f.size })));
  });

  it('says NOT_FOUND for a missing path or a block it does not have offline, BAD_REQUEST for a directory read as a file', async () => {
    await expect(ipfs.stat(added.cid, 'series-1/nope.dcm')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(ipfs.stat(await nobodysCid(), undefined, { offline: true })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(collect(ipfs.cat(added.cid, { path: 'series-1' }))).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(ipfs.ls(added.cid, 'manifest.json')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await ipfs.has(await nobodysCid())).toBe(false);
    expect(await ipfs.has(added.cid)).toBe(true);
  });

  it('pins and unpins, both idempotent', async () => {
    const other = await ipfs.addDirectory([{ path: 'a.txt', content: new TextEncoder().encode('pin me') }]);
    expect(await ipfs.isPinned(other.cid)).toBe(false);
    await ipfs.pin(other.cid);
    await ipfs.pin(other.cid);
    expect(await ipfs.isPinned(other.cid)).toBe(true);
    // The file inside is kept by the directory's pin.
    expect(await ipfs.isPinned(other.files[0]!.cid)).toBe(true);
    await ipfs.unpin(other.cid);
    await ipfs.unpin(other.cid);
    expect(await ipfs.isPinned(other.cid)).toBe(false);
    expect(await ipfs.isPinned(added.cid)).toBe(true);
  });

  it('an add with pin keeps every block of the DAG, raw leaves included, and unpin lets every one go', async () => {
    // The add pins with the local walker (raw leaves checked, not read): nothing may be left out.
    const other = await ipfs.addDirectory([{ path: 'big/three-chunks.bin', content: seededBytes(2.5 * MiB, 77) }, { path: 'small.txt', content: seededBytes(10, 78) }], { pin: true });
    const { blocks } = await readVerifiedCar(await collect(ipfs.exportCar(other.cid, { offline: true })));
    expect(blocks.size).toBe(1 + 1 + (1 + 3) + 1); // root, big/, the file's root and 3 leaves, small.txt
    for (const cid of blocks.keys()) expect(await ipfs.isPinned(cid), cid).toBe(true);
    await ipfs.unpin(other.cid);
    for (const cid of blocks.keys()) expect(await ipfs.isPinned(cid), cid).toBe(false);
    expect(await ipfs.isPinned(added.cid)).toBe(true);
  });

  it('exports the whole DAG as a CAR whose every block hashes to its CID, and a fresh node rebuilds the files from it', async () => {
    const car = await collect(ipfs.exportCar(added.cid, { offline: true }));
    const { roots, blocks } = await readVerifiedCar(car);
    expect(roots).toEqual([added.cid]);
    for (const f of added.files) expect(blocks.has(f.cid), f.path).toBe(true);
    // 0002.dcm: 3 leaves + its root.
    expect(blocks.size).toBeGreaterThanOrEqual(SAMPLE_FILES.length + 3 + 3);

    const fresh = await createTemporaryHeliaNode({ timeoutMs: 2_000, listen: [] });
    temporary.push(fresh);
    expect(await fresh.importCar((async function* () { yield car; })())).toEqual({ roots: [added.cid], blocks: blocks.size });
    for (const f of SAMPLE_FILES) expect((await collect(fresh.cat(added.cid, { path: f.path, offline: true }))).equals(f.content), f.path).toBe(true);
  });

  it('refuses a CAR with a block that does not match its CID', async () => {
    const car = await collect(ipfs.exportCar(added.cid));
    const manifest = fileOf('manifest.json').content;
    const at = car.indexOf(Buffer.from(manifest));
    expect(at).toBeGreaterThan(0);
    car[at]! ^= 0xff;
    const fresh = await createTemporaryHeliaNode({ timeoutMs: 2_000, listen: [] });
    temporary.push(fresh);
    await expect(fresh.importCar((async function* () { yield car; })())).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/does not match/) });
    await expect(fresh.importCar((async function* () { yield new TextEncoder().encode('not a car'); })())).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});

describe('two nodes on loopback', () => {
  it('a second node that dials the first fetches the files over bitswap, byte for byte, and can pin them', async () => {
    const [address] = (await ipfs.info()).multiaddrs;
    const peer = await createTemporaryHeliaNode({ timeoutMs: 10_000, peers: [address!] });
    temporary.push(peer);
    const big = fileOf('series-1/0002.dcm').content;
    expect((await collect(peer.cat(added.cid, { path: 'series-1/0002.dcm' }))).equals(big)).toBe(true);
    await peer.pin(added.cid);
    for (const f of SAMPLE_FILES) expect((await collect(peer.cat(added.cid, { path: f.path, offline: true }))).equals(f.content), f.path).toBe(true);
  });

  it('asking for a block no connected peer has fails with BAD_GATEWAY after the timeout instead of hanging', async () => {
    const [address] = (await ipfs.info()).multiaddrs;
    const peer = await createTemporaryHeliaNode({ timeoutMs: 400, peers: [address!] });
    temporary.push(peer);
    const cid = await nobodysCid();
    const started = Date.now();
    await expect(collect(peer.cat(cid))).rejects.toMatchObject({ code: 'BAD_GATEWAY', message: expect.stringMatching(/within 400 ms/) });
    await expect(peer.pin(cid)).rejects.toMatchObject({ code: 'BAD_GATEWAY' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('dialing a peer that is not there fails with BAD_GATEWAY within the timeout', async () => {
    const closed = await freePort();
    const peerId = (await ipfs.info()).peerId;
    const started = Date.now();
    await expect(createTemporaryHeliaNode({ timeoutMs: 500, listen: [], peers: [`/ip4/127.0.0.1/tcp/${closed}/p2p/${peerId}`] })).rejects.toMatchObject({ code: 'BAD_GATEWAY' });
    await expect(createTemporaryHeliaNode({ timeoutMs: 500, listen: [], peers: ['not-a-multiaddr'] })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('restart', () => {
  it('a node stopped and started again on the same directory keeps its content, pins and peer id', async () => {
    const before = await ipfs.info();
    await stopIpfs();
    ipfs = await getIpfs();
    expect((await ipfs.info()).peerId).toBe(before.peerId);
    expect(await ipfs.isPinned(added.cid)).toBe(true);
    for (const f of SAMPLE_FILES) expect((await collect(ipfs.cat(added.cid, { path: f.path, offline: true }))).equals(f.content), f.path).toBe(true);
  });
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
