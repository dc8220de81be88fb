import { containsInsensitive } from '@/lib/db/contains-insensitive';
import type { Prisma } from '@/lib/db/client';
import { descriptionAlternatives, type SeriesRule } from './series-rule.client';

/** The series a rule matches, as a database filter: the same test as matchesSeriesRule, on one series. */
export function seriesRuleWhere(rule: SeriesRule): Prisma.SeriesWhereInput {
  const alternatives = descriptionAlternatives(rule.seriesDescription);
  return {
    ...(rule.modalities.length ? { modality: { in: [...rule.modalities] } } : {}),
    ...(alternatives.length ? { OR: alternatives.map((a) => ({ description: containsInsensitive(a) })) } : {}),
  };
}
