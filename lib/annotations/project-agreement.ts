import type { SessionUser } from '@/lib/auth/session-user';
import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import { requireProjectAccess } from '@/lib/projects/project-access';
import { parseStoredSchema } from '@/lib/projects/schema-version';
import { agreementToCsv, cohensKappa, fleissKappa } from './agreement';
import { findReaderLabels, type ReaderLabel } from './reader-labels';
import { studyAgreement, type AnswerAgreement, type PairAgreement } from './study-agreement';

export type ProjectAgreement = {
  /** Studies with two or more saved reader copies. */
  studies: number;
  pairs: PairAgreement[];
  answers: AnswerAgreement[];
  /** Every pair of readers (the accepted label's reader included). */
  bySegment: { segment: number; name: string; color: string; meanDice: number; meanIou: number; n: number }[];
  /**
   * Each reader's mean Dice: in a study with an accepted label, against that label (its own reader is
   * the reference there, and is not compared); in a study without one, against the other readers.
   * `againstAccepted` says how many of the `n` comparisons were against an accepted label.
   */
  byReader: { readerId: string; reader: string; meanDice: number; n: number; againstAccepted: number }[];
  /**
   * Per question: Cohen's kappa (the same two readers on every item) or Fleiss' kappa (more readers, or
   * varying ones), over the items all their readers answered: studies for a study-level question, series
   * for a series-level one.
   */
  kappa: { questionId: string; question: string; level: 'study' | 'series'; method: 'cohen' | 'fleiss'; kappa: number | null; items: number; studies: number }[];
};

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * Inter-reader agreement across a project, for its dashboard and CSV: its managers' and reviewers'
 * only. It holds every reader's answers and overlaps, and readers who saw each other's work would
 * no longer be independent.
 */
export async function projectAgreement(user: Pick<SessionUser, 'id' | 'roles'>, projectId: string): Promise<ProjectAgreement> {
  const access = await requireProjectAccess(user, projectId);
  if (!access.canManage && !access.roles.includes('reviewer')) {
    throw new AppError('FORBIDDEN', "Agreement shows every reader's labels: it is for the project's reviewers, ML engineers and admins, so that readers stay independent.");
  }
  const schemaRow = await getDb().labelSchemaVersion.findFirstOrThrow({ where: { projectId }, orderBy: { version: 'desc' } });
  const schema = parseStoredSchema(schemaRow.schema);
  const byStudy = new Map<string, ReaderLabel[]>();
  for (const label of await findReaderLabels(projectId)) byStudy.set(label.studyId, [...(byStudy.get(label.studyId) ?? []), label]);
  const pairs: PairAgreement[] = [];
  const answers: AnswerAgreement[] = [];
  let studies = 0;
  for (const labels of byStudy.values()) {
    if (labels.length < 2) continue;
    studies++;
    const result = await studyAgreement(labels, schema);
    pairs.push(...result.segments);
    answers.push(...result.answers);
  }
  const bySegment = schema.segments.flatMap((s) => {
    const rows = pairs.filter((p) => p.segment === s.value);
    return rows.length ? [{ segment: s.value, name: s.name, color: s.color, meanDice: mean(rows.map((r) => r.dice!)), meanIou: mean(rows.map((r) => r.iou!)), n: rows.length }] : [];
  });
  const byReader = readerDice(pairs);
  const kappa = schema.questions.flatMap((q): ProjectAgreement['kappa'] => {
    // An item is a study (study-level questions) or a series (series-level ones) every reader answered.
    const items = answers.filter((a) => a.questionId === q.id && a.answers.every((x) => x.choices));
    if (!items.length) return [];
    const counts = { items: items.length, studies: new Set(items.map((i) => i.studyId)).size };
    // Cohen's kappa is for one pair of raters throughout, each keeping their side; more readers, a number
    // that varies, or pairs that change from study to study (readers taking turns) are Fleiss' case.
    const readerPairs = new Set(items.map((i) => i.answers.map((x) => x.reader).sort().join('\n')));
    const [first, second] = readerPairs.size === 1 ? [...readerPairs][0]!.split('\n') : [];
    if (items.every((i) => i.answers.length === 2) && first !== undefined && second !== undefined && first !== second) {
      const by = (reader: string) => items.map((i) => i.answers.find((x) => x.reader === reader)!.choices);
      return [{ questionId: q.id, question: q.question, level: q.level, method: 'cohen', kappa: cohensKappa(by(first), by(second)), ...counts }];
    }
    return [{ questionId: q.id, question: q.question, level: q.level, method: 'fleiss', kappa: fleissKappa(items.map((i) => i.answers.map((x) => x.choices))), ...counts }];
  });
  return { studies, pairs, answers, bySegment, byReader, kappa };
}

function readerDice(pairs: readonly PairAgreement[]): ProjectAgreement['byReader'] {
  const referenced = new Set(pairs.filter((p) => p.againstAccepted).map((p) => p.studyId));
  const readers = new Map<string, { readerId: string; reader: string; dice: number[]; againstAccepted: number }>();
  const add = (readerId: string, reader: string, dice: number, againstAccepted: boolean) => {
    const row = readers.get(readerId) ?? { readerId, reader, dice: [], againstAccepted: 0 };
    row.dice.push(dice);
    if (againstAccepted) row.againstAccepted++;
    readers.set(readerId, row);
  };
  for (const p of pairs) {
    if (referenced.has(p.studyId)) {
      if (p.againstAccepted) add(p.readerAId, p.readerA, p.dice!, true);
    } else {
      add(p.readerAId, p.readerA, p.dice!, false);
      add(p.readerBId, p.readerB, p.dice!, false);
    }
  }
  return [...readers.values()].map(({ dice, ...row }) => ({ ...row, meanDice: mean(dice), n: dice.length }));
}

export const AGREEMENT_CSV_COLUMNS = ['study', 'series', 'segment', 'segment_name', 'reader_a', 'reader_b', 'against_accepted', 'voxels_a', 'voxels_b', 'dice', 'iou'] as const;

/** One row per study, series, segment and pair of readers. */
export function agreementCsv(agreement: ProjectAgreement): string {
  return agreementToCsv(
    agreement.pairs.map((p) => ({
      study: p.studyId,
      series: p.seriesInstanceUid,
      segment: p.segment,
      segment_name: p.segmentName,
      reader_a: p.readerA,
      reader_b: p.readerB,
      against_accepted: p.againstAccepted ? 'yes' : 'no',
      voxels_a: p.voxelsA,
      voxels_b: p.voxelsB,
      dice: p.dice,
      iou: p.iou,
    })),
    AGREEMENT_CSV_COLUMNS,
  );
}
