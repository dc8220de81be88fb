import type { SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from '@prisma/driver-adapter-utils';

/**
 * Prisma's better-sqlite3 adapter shares one connection between interactive transactions and every
 * other query, and only transactions take its lock: a query from another request, arriving while a
 * transaction is open, runs *inside* it (sees its uncommitted rows, and is undone by its rollback).
 * This wrapper makes every query wait for the open transaction to finish, giving each transaction
 * the isolation its caller assumes. SQLite has one writer anyway; PostgreSQL does not need this.
 */
export function serializeSqliteAdapter(factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    async connect() {
      return serialized(await factory.connect());
    },
  };
}

function serialized(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const lock = createLock();
  return new Proxy(adapter, {
    get(target, prop, receiver) {
      if (prop === 'queryRaw' || prop === 'executeRaw' || prop === 'executeScript') {
        const method = Reflect.get(target, prop, receiver) as (arg: unknown) => Promise<unknown>;
        return (arg: unknown) => lock.run(() => method.call(target, arg));
      }
      if (prop === 'startTransaction') {
        return async (...args: Parameters<SqlDriverAdapter['startTransaction']>) => {
          const release = await lock.acquire();
          try {
            return releasingOnEnd(await target.startTransaction(...args), release);
          } catch (err) {
            release();
            throw err;
          }
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** The transaction, releasing the connection lock once it is committed or rolled back. */
function releasingOnEnd(tx: Transaction, release: () => void): Transaction {
  let released = false;
  const end = (method: 'commit' | 'rollback') => async () => {
    try {
      await tx[method]();
    } finally {
      if (!released) {
        released = true;
        release();
      }
    }
  };
  return new Proxy(tx, {
    get(target, prop, receiver) {
      if (prop === 'commit' || prop === 'rollback') return end(prop);
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** A FIFO mutex on promises. */
function createLock() {
  let tail: Promise<void> = Promise.resolve();
  const acquire = (): Promise<() => void> => {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const ready = tail.then(() => release);
    tail = tail.then(() => next);
    return ready;
  };
  return {
    acquire,
    async run<T>(fn: () => Promise<T>): Promise<T> {
      const release = await acquire();
      try {
        return await fn();
      } finally {
        release();
      }
    },
  };
}
