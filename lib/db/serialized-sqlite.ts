import type { SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from '@prisma/driver-adapter-utils';

/**
 * Prisma's better-sqlite3 adapter shares one connection between interactive transactions and every
 * other query, and only transactions take its lock: a query from another request, arriving while a
 * transaction is open, runs *inside* it (sees its uncommitted rows, and is undone by its rollback).
 * This wrapper makes every query wait for the open transaction to finish, giving each transaction
 * the isolation its caller assumes. SQLite has one writer anyway; PostgreSQL does not need this.
 */
export function serializeSqliteAdapter(factory: SqlDriverAdapterFactory, connectionScript?: string): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    async connect() {
      const adapter = await factory.connect();
      if (connectionScript) await adapter.executeScript(connectionScript);
      beginImmediate(adapter);
      return serialized(adapter);
    },
  };
}

/**
 * The adapter opens transactions with a deferred BEGIN: one that reads and then writes while another
 * process (the CLI, a second server) holds or just held the write lock fails at once with SQLITE_BUSY,
 * without waiting. BEGIN IMMEDIATE takes the write lock up front, so the busy timeout applies and the
 * transaction waits its turn instead. (A shim on the adapter's driver: it offers no option for this.)
 */
function beginImmediate(adapter: SqlDriverAdapter) {
  const driver = (adapter as unknown as { client?: { prepare: (sql: string) => unknown } }).client;
  if (!driver || typeof driver.prepare !== 'function') throw new Error('unexpected better-sqlite3 adapter internals: cannot set BEGIN IMMEDIATE');
  const prepare = driver.prepare.bind(driver);
  driver.prepare = (sql: string) => prepare(sql === 'BEGIN' ? 'BEGIN IMMEDIATE' : sql);
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
