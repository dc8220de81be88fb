import { randomUUID } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { createSqliteAdapter } from './adapter';
import { providerOf } from './provider';

/**
 * Driver adapters for the schema engine, changed in two ways Prisma's defaults get wrong for us:
 * - every migration script runs atomically, so a failed migration leaves the schema as it was
 *   (SQLite: one IMMEDIATE transaction with foreign keys off; PostgreSQL: one simple-protocol query,
 *   which is one implicit transaction and keeps `$$` bodies whole, where adapter-pg splits on ';');
 * - PostgreSQL shadow databases are created beside the main one (adapter-pg points its "shadow" pool
 *   at the main database when configured by URL), and `"char"` catalog columns read as text.
 */
export type MigrationAdapterFactory = SqlMigrationAwareDriverAdapterFactory & { close(): Promise<void> };

export function createMigrationAdapterFactory(databaseUrl: string): MigrationAdapterFactory {
  return providerOf(databaseUrl) === 'sqlite' ? sqliteFactory(databaseUrl) : postgresFactory(databaseUrl);
}

function sqliteFactory(databaseUrl: string): MigrationAdapterFactory {
  const inner = createSqliteAdapter(databaseUrl);
  // The engine sets `locking_mode=EXCLUSIVE` on its connection and never closes it: until we do,
  // nobody else can write to the database.
  const opened: SqlDriverAdapter[] = [];
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    async connect() {
      const adapter = await inner.connect();
      opened.push(adapter);
      await adapter.executeScript('PRAGMA journal_mode = WAL'); // readers never block the writer
      return atomicSqlite(adapter);
    },
    async connectToShadowDb() {
      const adapter = await inner.connectToShadowDb(); // in memory
      opened.push(adapter);
      return atomicSqlite(adapter);
    },
    async close() {
      for (const adapter of opened.splice(0)) await adapter.dispose().catch(() => {});
    },
  };
}

function atomicSqlite(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const executeScript = (script: string) => runSqliteScriptAtomically(adapter, script);
  return withOverrides(adapter, {
    executeScript,
    // The engine replays migrations on the shadow database with executeRaw, which better-sqlite3
    // refuses for multi-statement files; run those as scripts instead.
    async executeRaw(query) {
      try {
        return await adapter.executeRaw(query);
      } catch (err) {
        if (query.args.length > 0 || !/more than one statement/.test(String((err as Error).message))) throw err;
        await executeScript(query.sql);
        return 0;
      }
    },
  });
}

async function runSqliteScriptAtomically(adapter: SqlDriverAdapter, script: string) {
  // PRAGMA foreign_keys is a no-op inside a transaction, so turn it off first: Prisma's table
  // redefinitions DROP the old table, which would otherwise cascade-delete child rows.
  await adapter.executeScript('PRAGMA foreign_keys = OFF');
  try {
    await adapter.executeScript('BEGIN IMMEDIATE');
    try {
      await adapter.executeScript(script);
      const violations = await adapter.queryRaw({ sql: 'PRAGMA foreign_key_check', args: [], argTypes: [] });
      if (violations.rows.length > 0) {
        throw new Error(`the migration leaves ${violations.rows.length} foreign key violation(s)`);
      }
      await adapter.executeScript('COMMIT');
    } catch (err) {
      await adapter.executeScript('ROLLBACK').catch(() => {});
      throw err;
    }
  } finally {
    await adapter.executeScript('PRAGMA foreign_keys = ON');
  }
}

/** A pg.Pool whose results report `"char"` (OID 18) columns as text, which adapter-pg can map. */
class CatalogFriendlyPool extends pg.Pool {
  override query(...args: unknown[]): never {
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    if (result instanceof Promise) {
      return result.then((res: pg.QueryResult | undefined) => {
        for (const field of res?.fields ?? []) if (field.dataTypeID === 18) field.dataTypeID = 25;
        return res;
      }) as never;
    }
    return result as never;
  }
}

function postgresFactory(databaseUrl: string): MigrationAdapterFactory {
  const pool = new CatalogFriendlyPool({ connectionString: databaseUrl, max: 2, connectionTimeoutMillis: 5_000 });
  pool.on('error', () => {}); // surfaced by the failing query instead
  const inner = new PrismaPg(pool);
  const shadows = new Set<() => Promise<void>>();
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    async connect() {
      const adapter = await inner.connect();
      return withOverrides(adapter, { executeScript: async (script) => void (await pool.query(script)) });
    },
    async connectToShadowDb() {
      const name = `cohort_shadow_${randomUUID().replaceAll('-', '')}`;
      await pool.query(`CREATE DATABASE "${name}"`);
      const url = new URL(databaseUrl);
      url.pathname = `/${name}`;
      const shadowPool = new CatalogFriendlyPool({ connectionString: url.toString(), max: 2 });
      shadowPool.on('error', () => {});
      const dropDatabase = async () => {
        await shadowPool.end().catch(() => {});
        await pool.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      };
      const adapter = await new PrismaPg(shadowPool).connect().catch(async (err: unknown) => {
        await dropDatabase().catch(() => {}); // nothing of a failed shadow is left behind
        throw err;
      });
      const drop = async () => {
        shadows.delete(drop);
        await adapter.dispose();
        await dropDatabase();
      };
      shadows.add(drop);
      return withOverrides(adapter, {
        executeScript: async (script) => void (await shadowPool.query(script)),
        dispose: drop,
      });
    },
    async close() {
      for (const drop of [...shadows]) await drop().catch(() => {});
      await pool.end();
    },
  };
}

type Overrides = Partial<Pick<SqlDriverAdapter, 'executeScript' | 'executeRaw' | 'dispose'>>;

/** The same adapter with some methods replaced (a Proxy: the adapters keep private state). */
function withOverrides(adapter: SqlDriverAdapter, overrides: Overrides): SqlDriverAdapter {
  return new Proxy(adapter, {
    get(target, prop, receiver) {
      if (Object.hasOwn(overrides, prop)) return overrides[prop as keyof Overrides];
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
