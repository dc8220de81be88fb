import Database from 'better-sqlite3';
import pg from 'pg';

/** Runs SQL on a test database with the bare driver, outside Cohort's code (to check what is really there). */
export async function rawQuery<T = Record<string, unknown>>(databaseUrl: string, sql: string, params: unknown[] = []): Promise<T[]> {
  if (databaseUrl.startsWith('file:')) {
    const db = new Database(databaseUrl.slice('file:'.length));
    try {
      const stmt = db.prepare(sql);
      return (stmt.reader ? stmt.all(...params) : (stmt.run(...params), [])) as T[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

export async function tableNames(databaseUrl: string): Promise<string[]> {
  const rows = databaseUrl.startsWith('file:')
    ? await rawQuery<{ name: string }>(databaseUrl, "SELECT name FROM sqlite_master WHERE type = 'table'")
    : await rawQuery<{ name: string }>(databaseUrl, "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'");
  return rows.map((r) => r.name).sort();
}
