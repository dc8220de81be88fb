import Database from 'better-sqlite3';
import pg from 'pg';
import { providerOf, sqliteFilePath } from './provider';

export type Snapshot = {
  /** Runs a read query (`?` placeholders on both databases) against the snapshot. */
  query<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** The same, each row as an array of column values: cheaper for scans of millions of rows. */
  values<T extends unknown[]>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** SQL giving a timestamp column as an ISO-8601 UTC string with milliseconds ("…T12:00:00.000Z"). */
  isoTime(column: string): string;
  /** SQL giving a binary column as lowercase hex text: far cheaper to read in bulk than one buffer per value. */
  hex(column: string): string;
  /** SQL extracting a top-level string member of a JSON text column. */
  jsonText(column: string, key: string): string;
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
      // Synchronous driver: let other requests in between batches.
      const yieldTurn = () => new Promise((resolve) => setImmediate(resolve));
      const snapshot: Snapshot = {
        async query<R>(sql: string, params: readonly unknown[] = []) {
          await yieldTurn();
          return db.prepare(sql).all(...params) as R[];
        },
        async values<R extends unknown[]>(sql: string, params: readonly unknown[] = []) {
          await yieldTurn();
          return db.prepare(sql).raw(true).all(...params) as R[];
        },
        isoTime: (column) => `strftime('%Y-%m-%dT%H:%M:%fZ', ${column})`,
        hex: (column) => `lower(hex(${column}))`,
        jsonText: (column, key) => `json_extract(${column}, '$.${jsonKey(key)}')`,
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
        return (await client.query(numberedPlaceholders(sql), params as unknown[])).rows as R[];
      },
      async values<R extends unknown[]>(sql: string, params: readonly unknown[] = []) {
        return (await client.query({ text: numberedPlaceholders(sql), values: params as unknown[], rowMode: 'array' })).rows as R[];
      },
      isoTime: (column) => `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
      hex: (column) => `encode(${column}, 'hex')`,
      jsonText: (column, key) => `(CAST(${column} AS jsonb) ->> '${jsonKey(key)}')`,
    };
    return await fn(snapshot);
  } finally {
    await client.query('COMMIT').catch(() => {});
    await client.end().catch(() => {});
  }
}

function numberedPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** Keys are spliced into SQL: only plain names. */
function jsonKey(key: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`not a plain JSON key: ${key}`);
  return key;
}
