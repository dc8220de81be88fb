import { env } from '@/lib/config/env';

/**
 * A case-insensitive "contains" filter on both providers: SQLite's LIKE already ignores ASCII case,
 * PostgreSQL needs Prisma's `mode: 'insensitive'` (ILIKE), which the SQLite-typed client does not know.
 */
export function containsInsensitive(fragment: string): { contains: string } {
  return (env.databaseProvider === 'postgresql' ? { contains: fragment, mode: 'insensitive' } : { contains: fragment }) as {
    contains: string;
  };
}
