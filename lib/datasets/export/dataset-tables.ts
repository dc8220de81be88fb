import { csvLine } from '@/lib/format/csv';
import type { Split } from '../schemas';

export type TableStudy = { id: string; patient: string; split: Split; classes: string[] };

/** splits.csv: which split each study (and its patient) is in. */
export function splitsCsv(studies: readonly TableStudy[]): string {
  return csv([['study', 'patient', 'split'], ...studies.map((s) => [s.id, s.patient, s.split])]);
}

/** classifications.csv: every answer of every study, one row per chosen answer (question: choice classes). */
export function classificationsCsv(studies: readonly TableStudy[], questions: ReadonlySet<string>): string {
  const rows = [['study', 'split', 'question', 'answer']];
  for (const s of studies) {
    for (const c of s.classes) {
      const at = c.indexOf(': ');
      if (at > 0 && questions.has(c.slice(0, at))) rows.push([s.id, s.split, c.slice(0, at), c.slice(at + 2)]);
    }
  }
  return csv(rows);
}

function csv(rows: readonly (readonly string[])[]): string {
  return rows.map(csvLine).join('');
}
