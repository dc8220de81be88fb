import { getDb } from '@/lib/db/client';
import { pseudonymOf } from '@/lib/ledger/pseudonym';

/** `name` only for those who opted in to be credited by name (see lib/users/credit-name). */
export type Contributor = { id: string; roles: ('reader' | 'reviewer')[]; labels: number; reviews: number; name?: string };

/**
 * Who made the labels a dataset holds, by their ledger pseudonyms: each label's reader, and the
 * reviewers whose acceptance the ledger records (`annotation.reviewed`, decision accept). A name is
 * given only for contributors who opted in to credit, as they asked to be credited.
 */
export async function findContributors(labels: readonly { annotationId: string }[]): Promise<Contributor[]> {
  const db = getDb();
  const ids = new Set(labels.map((l) => l.annotationId));
  const byId = new Map<string, Contributor>();
  const get = (id: string) => byId.get(id) ?? byId.set(id, { id, roles: [], labels: 0, reviews: 0 }).get(id)!;
  for (const a of await db.annotation.findMany({ where: { id: { in: [...ids] } }, select: { readerId: true } })) {
    const c = get(pseudonymOf(a.readerId));
    c.labels += 1;
    if (!c.roles.includes('reader')) c.roles.push('reader');
  }
  const reviews = await db.ledgerEntry.findMany({ where: { type: 'annotation.reviewed' }, select: { actor: true, canonical: true } });
  for (const r of reviews) {
    const entry = JSON.parse(r.canonical) as { subjects: string[]; payload: { decision?: string } };
    if (entry.payload.decision !== 'accept' || !ids.has(entry.subjects[0]!)) continue;
    const c = get(r.actor);
    c.reviews += 1;
    if (!c.roles.includes('reviewer')) c.roles.push('reviewer');
  }
  // Opted-in users are few: their pseudonyms are computed rather than every contributor's user looked up.
  for (const user of await db.user.findMany({ where: { creditName: { not: null } }, select: { id: true, creditName: true } })) {
    const contributor = byId.get(pseudonymOf(user.id));
    if (contributor) contributor.name = user.creditName!;
  }
  return [...byId.values()].sort((a, b) => b.labels + b.reviews - (a.labels + a.reviews) || a.id.localeCompare(b.id));
}
