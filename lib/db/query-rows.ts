import { env } from '@/lib/config/env';
import { getDb } from './client';

/**
 * A read query written once for both databases, with `?` placeholders (numbered for PostgreSQL here),
 * for searches whose conditions are assembled at run time (QIDO-RS). Values are always bound.
 */
export async function queryRows<T>(sql: string, params: readonly unknown[]): Promise<T[]> {
  let n = 0;
  const text = env.databaseProvider === 'postgresql' ? sql.replace(/\?/g, () => `$${++n}`) : sql;
  return getDb().$queryRawUnsafe<T[]>(text, ...params);
}
