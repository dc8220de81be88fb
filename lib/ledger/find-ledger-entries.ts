import { getDb, type Prisma } from '@/lib/db/client';
import type { EntriesQuery } from './schemas';

/** An entry as the API and pages show it: only the PHI-free content of the entry itself. */
export type LedgerEntryView = {
  seq: number;
  type: string;
  actor: string;
  time: string;
  subjects: string[];
  payload: Record<string, unknown>;
  leafHash: string;
};

/** Entries newest first, filtered by type and time, a page at a time (`before` = the last seq seen). */
export async function findLedgerEntries(query: EntriesQuery): Promise<{ entries: LedgerEntryView[]; nextBefore: number | null }> {
  const where: Prisma.LedgerEntryWhereInput = {};
  if (query.before !== undefined) where.seq = { lt: query.before };
  if (query.type) where.type = query.type;
  if (query.since || query.until) where.recordedAt = { ...(query.since ? { gte: query.since } : {}), ...(query.until ? { lte: query.until } : {}) };
  const rows = await getDb().ledgerEntry.findMany({ where, orderBy: { seq: 'desc' }, take: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  return {
    entries: page.map((row) => {
      const content = JSON.parse(row.canonical) as { subjects: string[]; payload: Record<string, unknown> };
      return {
        seq: row.seq,
        type: row.type,
        actor: row.actor,
        time: row.recordedAt.toISOString(),
        subjects: content.subjects,
        payload: content.payload,
        leafHash: Buffer.from(row.leafHash).toString('base64'),
      };
    }),
    nextBefore: rows.length > query.limit ? page.at(-1)!.seq : null,
  };
}
