import type { SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from '@prisma/driver-adapter-utils';

/**
 * Prisma's better-sqlite3 adapter shares one connection between interactive transactions and every
 * other query, and only transactions take its lock: a query from another request, arriving while a
 * transaction is open, runs *inside* it (sees its uncommitted rows, and is undone by its rollback).
 * This wrapper makes every query wait for the open transaction to finish, giving each transaction
 * the isolation its caller assumes. SQLite has one writer anyway; PostgreSQL does not need this.
 * It also opens transactions with BEGIN IMMEDIATE and caches prepared statements (see patchDriver).
 */
export function serializeSqliteAdapter(factory: SqlDriverAdapterFactory, connectionScript?: string): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    async connect() {
      const adapter = await factory.connect();
      if (connectionScript) await adapter.executeScript(connectionScript);
      patchDriver(adapter);
      return serialized(adapter);
    },
  };
}

/** Prepared statements kept per connection: the adapter prepares every query anew, triggers and all. */
const STATEMENT_CACHE_SIZE = 256;

type Statement = { reader: boolean; run(...params: unknown[]): unknown; all(...params: unknown[]): unknown[]; columns(): unknown[]; raw(on?: boolean): Statement };
type Driver = { prepare(sql: string): Statement };

/**
 * Two shims on the adapter's better-sqlite3 driver (it offers options for neither):
 * - BEGIN IMMEDIATE. The adapter opens transactions with a deferred BEGIN: one that reads and then
 *   writes while another process (the CLI, a second server) holds or just held the write lock fails
 *   at once with SQLITE_BUSY, without waiting. BEGIN IMMEDIATE takes the write lock up front, so the
 *   busy timeout applies and the transaction waits its turn instead.
 * - A statement cache. Preparing (parsing, planning, compiling triggers) costs as much as running a
 *   small statement, and the adapter prepares every query anew. The adapter only ever binds, then
 *   runs or reads all rows at once, so one statement per SQL text can serve every call.
 */
function patchDriver(adapter: SqlDriverAdapter) {
  const driver = (adapter as unknown as { client?: Driver }).client;
  if (!driver || typeof driver.prepare !== 'function') throw new Error('unexpected better-sqlite3 adapter internals: cannot patch prepare');
  const prepare = driver.prepare.bind(driver);
  const cache = new Map<string, Statement>();
  driver.prepare = (sql: string) => {
    const text = sql === 'BEGIN' ? 'BEGIN IMMEDIATE' : sql;
    let statement = cache.get(text);
    if (statement) {
      cache.delete(text); // re-inserted below: most recently used last
    } else {
      statement = prepare(text);
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    }
    cache.set(text, statement);
    return bindable(statement);
  };
}

/** A cached statement as the adapter uses it: `bind(params)` then `run()`, `columns()` or `raw().all()`. */
function bindable(statement: Statement, params: unknown[] = []): Statement & { bind(params: unknown[]): Statement } {
  return {
    reader: statement.reader,
    bind: (bound: unknown[]) => bindable(statement, bound),
    run: () => statement.run(params),
    all: () => statement.all(params),
    columns: () => statement.columns(),
    raw() {
      statement.raw(true);
      return this;
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
