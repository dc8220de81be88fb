import { Prisma } from './generated/sqlite/client';
import type { Tx } from './client';

/** Bind parameters per statement: under SQLite's 32,766 (PostgreSQL allows 65,535). */
const MAX_PARAMS = 32_000;
const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * Bulk insert for hot paths: multi-row INSERT statements with bound parameters, inside the caller's
 * transaction. About 7× faster than Prisma's createMany on SQLite and PostgreSQL (bench/), because
 * rows go to the driver as plain parameters instead of through the query compiler one by one.
 * Columns are database names; callers supply every value, defaults included (ids, timestamps).
 * Values are serialized by Prisma exactly as its own writes are (dates, booleans, bigints).
 */
export async function insertRows(
  tx: Tx,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
): Promise<number> {
  for (const name of [table, ...columns]) {
    if (!IDENTIFIER.test(name)) throw new Error(`insertRows: not a plain identifier: ${name}`);
  }
  const head = Prisma.raw(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES `);
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  let inserted = 0;
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    for (const row of chunk) {
      if (row.length !== columns.length) throw new Error(`insertRows: row has ${row.length} values for ${columns.length} columns`);
    }
    const values = Prisma.join(chunk.map((row) => Prisma.sql`(${Prisma.join(row as unknown[])})`));
    inserted += await tx.$executeRaw`${head}${values}`;
  }
  return inserted;
}
