import { AppError } from '@/lib/errors/app-error';
import { createTemporaryHeliaNode } from '@/lib/ipfs/create-helia-node';
import type { IpfsBackend } from '@/lib/ipfs/ipfs-backend';

export type PullSource = { peer: string } | { gateway: string };

/**
 * A throw-away IPFS node holding (or able to fetch) the version: connected to a peer that has it
 * (blocks arrive over bitswap, each checked against its CID), or filled from a gateway's CAR of the
 * version (the trustless-gateway `?format=car`, every block checked against its CID as it is stored).
 * The caller stops it. An unreachable peer or gateway fails within `timeoutMs`, saying which.
 */
export async function openPullSource(cid: string, source: PullSource, timeoutMs: number): Promise<IpfsBackend> {
  if ('peer' in source) return createTemporaryHeliaNode({ listen: [], timeoutMs, peers: [source.peer] });
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
