import { containsInsensitive } from '@/lib/db/contains-insensitive';
import type { Prisma } from '@/lib/db/client';
import { descriptionAlternatives, type SeriesRule, type SeriesSelection } from './series-rule.client';

/** The series a rule matches, as a database filter: the same test as matchesSeriesRule, on one series. */
export function seriesRuleWhere(rule: SeriesRule): Prisma.SeriesWhereInput {
  const alternatives = descriptionAlternatives(rule.seriesDescription);
  return {
    ...(rule.modalities.length ? { modality: { in: [...rule.modalities] } } : {}),
    ...(alternatives.length ? { OR: alternatives.map((a) => ({ description: containsInsensitive(a) })) } : {}),
  };
}

/** The series a project labels, as a database filter: those its rule matches that no manager left out, and those a manager added. */
export function seriesSelectionWhere(selection: SeriesSelection): Prisma.SeriesWhereInput {
  const choices = Object.entries(selection.choices);
  if (!choices.length) return seriesRuleWhere(selection.rule);
  const added = choices.filter(([, toLabel]) => toLabel).map(([uid]) => uid);
  const leftOut = choices.filter(([, toLabel]) => !toLabel).map(([uid]) => uid);
  return { OR: [{ AND: [seriesRuleWhere(selection.rule), { seriesInstanceUid: { notIn: leftOut } }] }, { seriesInstanceUid: { in: added } }] };
}
