import Database from 'better-sqlite3';
import { providerOf, sqliteFilePath } from './provider';

export type Snapshot = {
  /** Runs a read query (`?` placeholders on both databases) against the snapshot. */
  query<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** The same, each row as an array of column values: cheaper for scans of millions of rows. */
  values<T extends unknown[]>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** The first column of each row: cheaper still (no array per row). */
  column<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** SQL giving a timestamp column as an ISO-8601 UTC string with milliseconds ("…T12:00:00.000Z"). */
  isoTime(column: string): string;
  /**
   * SQL giving a timestamp column as text at the least cost: SQLite's stored text as is (Prisma writes
   * "…T12:00:00.000+00:00"), PostgreSQL's as isoTime. For comparisons that fall back to isoTime.
   */
  timeText(column: string): string;
  /**
   * What timeText puts after the milliseconds of a time stored the usual way: it renders a UTC time
   * as the first 23 characters of its ISO form ("…T12:00:00.000"), then this.
   */
  readonly utcSuffix: string;
  /**
   * SQL giving a binary column, or binary columns joined with ||, as lowercase hex text: far cheaper
   * to read in bulk than one buffer per value.
   */
  hex(binary: string): string;
  /** The same in upper case: SQLite's own hex(), without the cost of lower(). */
  upperHex(binary: string): string;
  /**
   * An id other connections can open this very snapshot with (withReadSnapshot's `snapshotId`), for
   * scans split across threads. PostgreSQL only; SQLite gives null: there, each connection reads its
   * own snapshot, so split scans must bound themselves to rows that cannot change (the ledger's).
   */
  exportId(): Promise<string | null>;
};

/**
 * Runs `fn` against one consistent, read-only view of the database, on a connection of its own and
 * with the bare driver: for long scans (ledger verification, exports) that must neither see rows
 * committed midway nor pay Prisma's per-row cost. SQLite: a read transaction on a read-only connection
 * (WAL keeps it a snapshot); PostgreSQL: REPEATABLE READ READ ONLY.
 */
export async function withReadSnapshot<T>(
  databaseUrl: string,
  fn: (snapshot: Snapshot) => Promise<T>,
  { snapshotId = null }: { snapshotId?: string | null } = {},
): Promise<T> {
  if (providerOf(databaseUrl) === 'sqlite') {
    const db = new Database(sqliteFilePath(databaseUrl), { readonly: true, fileMustExist: true });
    try {
      db.exec('BEGIN');
      // Synchronous driver: let other requests in between batches.
      const yieldTurn = () => new Promise((resolve) => setImmediate(resolve));
      // Scans run the same statement batch after batch: prepare it once.
      const statements = new Map<string, Database.Statement>();
      const prepare = (sql: string, mode: 'objects' | 'arrays' | 'column') => {
        const key = `${mode}:${sql}`;
        let statement = statements.get(key);
        if (!statement) {
          statement = db.prepare(sql);
          if (mode === 'arrays') statement.raw(true);
          if (mode === 'column') statement.pluck(true);
          statements.set(key, statement);
        }
        return statement;
      };
      const snapshot: Snapshot = {
        async query<R>(sql: string, params: readonly unknown[] = []) {
          await yieldTurn();
          return prepare(sql, 'objects').all(...params) as R[];
        },
        async values<R extends unknown[]>(sql: string, params: readonly unknown[] = []) {
          await yieldTurn();
          return prepare(sql, 'arrays').all(...params) as R[];
        },
        async column<R>(sql: string, params: readonly unknown[] = []) {
          await yieldTurn();
          return prepare(sql, 'column').all(...params) as R[];
        },
        isoTime: (column) => `strftime('%Y-%m-%dT%H:%M:%fZ', ${column})`,
        timeText: (column) => column,
        utcSuffix: '+00:00',
        hex: (binary) => `lower(hex(${binary}))`,
        upperHex: (binary) => `hex(${binary})`,
        exportId: async () => null,
      };
      return await fn(snapshot);
    } finally {
      if (db.inTransaction) db.exec('COMMIT');
      db.close();
    }
  }
  // Loaded only here: a verification worker on SQLite starts faster without it.
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    if (snapshotId !== null) {
      if (!/^[0-9A-F]+-[0-9A-F]+-[0-9]+$/i.test(snapshotId)) throw new Error(`not a PostgreSQL snapshot id: ${snapshotId}`);
      await client.query(`SET TRANSACTION SNAPSHOT '${snapshotId}'`);
    }
    const snapshot: Snapshot = {
      async query<R>(sql: string, params: readonly unknown[] = []) {
        return (await client.query(numberedPlaceholders(sql), params as unknown[])).rows as R[];
      },
      async values<R extends unknown[]>(sql: string, params: readonly unknown[] = []) {
        return (await client.query({ text: numberedPlaceholders(sql), values: params as unknown[], rowMode: 'array' })).rows as R[];
      },
      async column<R>(sql: string, params: readonly unknown[] = []) {
        const { rows } = await client.query<unknown[]>({ text: numberedPlaceholders(sql), values: params as unknown[], rowMode: 'array' });
        return rows.map((row) => row[0] as R);
      },
      isoTime,
      timeText: isoTime,
      utcSuffix: 'Z',
      hex: (binary) => `encode(${binary}, 'hex')`,
      upperHex: (binary) => `upper(encode(${binary}, 'hex'))`,
      exportId: async () => (await client.query<{ id: string }>('SELECT pg_export_snapshot() AS id')).rows[0]!.id,
    };
    return await fn(snapshot);
  } finally {
    await client.query('COMMIT').catch(() => {});
    await client.end().catch(() => {});
  }
}

// Prisma keeps DateTime as TIMESTAMP(3) without time zone, holding UTC.
const isoTime = (column: string) => `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

function numberedPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
