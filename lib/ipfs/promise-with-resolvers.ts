/**
 * Helia 7 and libp2p call `Promise.withResolvers` (ES2024), which Node 20 lacks. This module is imported
 * first by the Helia module (lib/ipfs/create-helia-node.ts) so the polyfill is in place before any of
 * Helia's code runs; importing it twice is harmless.
 */

type WithResolvers = <T>() => { promise: Promise<T>; resolve: (value: T | PromiseLike<T>) => void; reject: (reason?: unknown) => void };

const PromiseCtor = Promise as unknown as { withResolvers?: WithResolvers };

if (typeof PromiseCtor.withResolvers !== 'function') {
  PromiseCtor.withResolvers = function withResolvers<T>() {
    let resolve!: (value: T | PromiseLike<T>) => void;
    let reject!: (reason?: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

export {};
