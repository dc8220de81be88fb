
/**
 * Rows per INSERT: comfortably under SQLite's 32,766 and PostgreSQL's 65,535 bind parameters for the
 * narrow tables we bulk-write, and small enough to keep each statement's memory modest.
 */
export const INSERT_CHUNK_ROWS = 2_000;

/**
 * Inserts many rows as a few multi-row INSERTs inside the caller's transaction, so a batch lands
 * whole or not at all. Thousands of single inserts cost seconds on SQLite; this costs milliseconds.
 */
export async function createManyInChunks<Row>(
  rows: readonly Row[],
  insert: (chunk: Row[]) => Promise<{ count: number }>,
): Promise<number> {
  let count = 0;
  for (let i = 0; i < rows.length; i += INSERT_CHUNK_ROWS) {
    count += (await insert(rows.slice(i, i + INSERT_CHUNK_ROWS))).count;
  }
  return count;
}

