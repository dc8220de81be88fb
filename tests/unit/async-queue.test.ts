/**
 * The queue the publication feeds its IPFS add through: items arrive in order, a writer waits while
 * the unread items weigh more than the capacity, and either side stopping is seen by the other.
 */
import { describe, expect, it } from 'vitest';
import { AsyncQueue } from '@/lib/async/async-queue';

const settled = async (promise: Promise<unknown>) => {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setTimeout(resolve, 10));
  return done;
};

describe('AsyncQueue', () => {
  it('gives the reader every item in order, then ends when closed', async () => {
    const queue = new AsyncQueue<number>(10);
    const read = (async () => {
      const seen: number[] = [];
      for await (const n of queue) seen.push(n);
      return seen;
    })();
    for (let n = 1; n <= 25; n++) await queue.push(n);
    queue.close();
    expect(await read).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  });

  it('makes a writer wait while the unread items weigh more than the capacity, and lets it go as they are read', async () => {
    const queue = new AsyncQueue<Uint8Array>(100, (bytes) => bytes.length);
    await queue.push(new Uint8Array(60));
    const second = queue.push(new Uint8Array(60));
    expect(await settled(second)).toBe(false);
    const reader = queue[Symbol.asyncIterator]();
    expect((await reader.next()).value).toHaveLength(60);
    expect(await settled(second)).toBe(true);
    // One item heavier than the whole capacity still goes through when nothing waits before it.
    const big = new AsyncQueue<Uint8Array>(10, (bytes) => bytes.length);
    await big.push(new Uint8Array(50));
  });

  it('makes the reader throw the error it failed with', async () => {
    const queue = new AsyncQueue<number>(10);
    await queue.push(1);
    queue.fail(new Error('export failed'));
    const reader = queue[Symbol.asyncIterator]();
    await expect(reader.next()).rejects.toThrow('export failed');
  });

  it('fails waiting and later writers once the reader has stopped, and refuses pushes after close', async () => {
    const queue = new AsyncQueue<number>(1);
    await queue.push(1);
    const reader = queue[Symbol.asyncIterator]();
    await reader.next();
    await queue.push(2);
    const waiting = queue.push(3);
    expect(await settled(waiting)).toBe(false);
    await reader.return(undefined);
    await expect(waiting).rejects.toThrow('no longer read');
    await expect(queue.push(4)).rejects.toThrow('no longer read');

    const closed = new AsyncQueue<number>(1);
    closed.close();
    await expect(closed.push(1)).rejects.toThrow('closed');
  });
});
