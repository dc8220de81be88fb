import Database from 'better-sqlite3';
import pg from 'pg';
import { providerOf, sqliteFilePath } from './provider';

export type Snapshot = {
  /** Runs a read query (`?` placeholders on both databases) against the snapshot. */
  query<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** SQL giving a timestamp column as an ISO-8601 UTC string with milliseconds ("…T12:00:00.000Z"). */
  isoTime(column: string): string;
};

/**
 * Runs `fn` against one consistent, read-only view of the database, on a connection of its own and
 * with the bare driver: for long scans (ledger verification, exports) that must neither see rows
 * committed midway nor pay Prisma's per-row cost. SQLite: a read transaction on a read-only connection
 * (WAL keeps it a snapshot); PostgreSQL: REPEATABLE READ READ ONLY.
 */
export async function withReadSnapshot<T>(databaseUrl: string, fn: (snapshot: Snapshot) => Promise<T>): Promise<T> {
  if (providerOf(databaseUrl) === 'sqlite') {
    const db = new Database(sqliteFilePath(databaseUrl), { readonly: true, fileMustExist: true });
    try {
      db.exec('BEGIN');
      const snapshot: Snapshot = {
        async query<R>(sql: string, params: readonly unknown[] = []) {
          // Synchronous driver: let other requests in between batches.
          await new Promise((resolve) => setImmediate(resolve));
          return db.prepare(sql).all(...params) as R[];
        },
        isoTime: (column) => `strftime('%Y-%m-%dT%H:%M:%fZ', ${column})`,
      };
      return await fn(snapshot);
    } finally {
      if (db.inTransaction) db.exec('COMMIT');
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const snapshot: Snapshot = {
      async query<R>(sql: string, params: readonly unknown[] = []) {
        let n = 0;
        const text = sql.replace(/\?/g, () => `$${++n}`);
        return (await client.query(text, params as unknown[])).rows as R[];
      },
      isoTime: (column) => `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
    };
    return await fn(snapshot);
  } finally {
    await client.query('COMMIT').catch(() => {});
    await client.end().catch(() => {});
  }
}
