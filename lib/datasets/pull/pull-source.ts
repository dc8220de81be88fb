import { existsSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '@/lib/errors/app-error';
import { createTemporaryHeliaNode } from '@/lib/ipfs/create-helia-node';
import type { IpfsBackend } from '@/lib/ipfs/ipfs-backend';
import { lockRepo } from '@/lib/ipfs/repo-lock';
import { repositoryCar } from '@/lib/ipfs/repository-car';

/** A peer's multiaddr, an HTTP gateway, or an IPFS repository on this machine (read offline). */
export type PullSource = { peer: string } | { gateway: string } | { repo: string };

/**
 * A throw-away IPFS node holding (or able to fetch) the version: connected to a peer that has it
 * (blocks arrive over bitswap, each checked against its CID), or filled from a gateway's CAR of the
 * version (the trustless-gateway `?format=car`) or from a repository on disk, every block checked
 * against its CID as it is stored. The caller stops it. An unreachable peer or gateway fails within
 * `timeoutMs`, saying which.
 */
export async function openPullSource(cid: string, source: PullSource, timeoutMs: number): Promise<IpfsBackend> {
  if ('peer' in source) return createTemporaryHeliaNode({ listen: [], timeoutMs, peers: [source.peer] });
  if ('repo' in source) return copyFromRepository(cid, source.repo, timeoutMs);
  const { gateway } = source;
  const node = await createTemporaryHeliaNode({ listen: [], timeoutMs });
  try {
    const url = `${gateway.replace(/\/+$/, '')}/ipfs/${cid}?format=car`;
    const controller = new AbortController();
    let timer = setTimeout(() => controller.abort(), timeoutMs);
    let res: Response;
    try {
      res = await fetch(url, { headers: { accept: 'application/vnd.ipld.car' }, signal: controller.signal });
    } catch (err) {
      throw new AppError('BAD_GATEWAY', `The gateway ${gateway} did not answer${controller.signal.aborted ? ` within ${timeoutMs} ms` : `: ${(err as Error).message}`}.`);
    }
    if (!res.ok || !res.body) throw new AppError(res.status === 404 ? 'NOT_FOUND' : 'BAD_GATEWAY', `The gateway answered ${res.status} for ${cid}.`);
    const body = res.body;
    async function* idleChecked(): AsyncGenerator<Uint8Array> {
      const reader = body.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          clearTimeout(timer);
          timer = setTimeout(() => controller.abort(), timeoutMs);
          yield value;
        }
      } catch (err) {
        throw new AppError('BAD_GATEWAY', `The gateway ${gateway} stopped sending${controller.signal.aborted ? ` for ${timeoutMs} ms` : `: ${(err as Error).message}`}.`);
      } finally {
        clearTimeout(timer);
        reader.releaseLock();
      }
    }
    const { roots } = await node.importCar(idleChecked());
    if (!roots.includes(cid)) throw new AppError('BAD_GATEWAY', `The gateway's CAR is of ${roots.join(', ') || 'nothing'}, not of ${cid}.`);
    return node;
  } catch (err) {
    await node.stop();
    throw err;
  }
}

/**
 * The version's blocks from an IPFS repository on this machine, with no network at all: this
 * installation's own (while its server is stopped) or one carried over on a disk. Its blocks are
 * claims like any others: they go through the same check as a gateway's CAR. Nothing in the
 * repository changes, and it is not read while a node has it open (its lock says so).
 */
async function copyFromRepository(cid: string, repo: string, timeoutMs: number): Promise<IpfsBackend> {
  if (!existsSync(path.join(repo, 'blocks'))) throw new AppError('BAD_REQUEST', `${repo} is not an IPFS repository (it has no blocks/ folder).`);
  let release: () => void;
  try {
    release = lockRepo(repo);
  } catch (err) {
    if (err instanceof AppError) throw new AppError(err.code, `${err.message} (A running Cohort serves it: pull with --gateway <its URL> or --from <its multiaddr>.)`);
    // A write-protected disk takes no lock, and no node can be writing to it either.
    if (!['EROFS', 'EACCES', 'EPERM'].includes((err as NodeJS.ErrnoException).code ?? '')) throw err;
    release = () => {};
  }
  try {
    const node = await createTemporaryHeliaNode({ listen: [], timeoutMs });
    try {
      const { roots } = await node.importCar(repositoryCar(path.join(repo, 'blocks'), cid));
      if (!roots.includes(cid)) throw new AppError('NOT_FOUND', `The repository's export is of ${roots.join(', ') || 'nothing'}, not of ${cid}.`);
      return node;
    } catch (err) {
      await node.stop();
      if (err instanceof AppError && err.code === 'NOT_FOUND') throw new AppError('NOT_FOUND', `The repository ${repo} does not hold all of ${cid}: ${err.message}`);
      throw err;
    }
  } finally {
    release();
  }
}
