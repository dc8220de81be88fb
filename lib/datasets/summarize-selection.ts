import type { ExclusionReason } from './exclusion-reasons';
import { SPLITS, type Split } from './schemas';
import type { DatasetSelection } from './select-dataset-studies';

export type ClassBalance = { name: string; total: number } & Record<Split, number>;

/** The numbers a preview shows: how many studies and patients land where, why the rest do not, and each class's share per split. */
export type SelectionSummary = {
  candidates: number;
  included: number;
  excluded: number;
  patients: number;
  bySplit: Record<Split, { studies: number; patients: number }>;
  byReason: Partial<Record<ExclusionReason, number>>;
  classBalance: ClassBalance[];
};

export function summarizeSelection(selection: DatasetSelection): SelectionSummary {
  const bySplit = Object.fromEntries(SPLITS.map((s) => [s, { studies: 0, patients: 0 }])) as SelectionSummary['bySplit'];
  const patients = new Map<string, Split>();
  const classes = new Map<string, ClassBalance>();
  for (const s of selection.included) {
    bySplit[s.split].studies += 1;
    patients.set(s.patientId, s.split);
    for (const name of s.classes) {
      const row = classes.get(name) ?? { name, total: 0, train: 0, val: 0, test: 0 };
      row.total += 1;
      row[s.split] += 1;
      classes.set(name, row);
    }
  }
  for (const split of patients.values()) bySplit[split].patients += 1;
  const byReason: SelectionSummary['byReason'] = {};
  for (const s of selection.excluded) for (const r of s.reasons) byReason[r] = (byReason[r] ?? 0) + 1;
  return {
    candidates: selection.included.length + selection.excluded.length,
    included: selection.included.length,
    excluded: selection.excluded.length,
    patients: patients.size,
    bySplit,
    byReason,
    classBalance: [...classes.values()].sort((a, b) => b.total - a.total || a.name.localeCompare(b.name)),
  };
}
