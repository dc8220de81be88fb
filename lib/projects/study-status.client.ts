/** Where a study stands in a project's workflow, from its readers' copies. */
export const STUDY_STATUSES = ['unassigned', 'in_progress', 'submitted', 'in_review', 'changes_requested', 'accepted'] as const;
export type StudyStatus = (typeof STUDY_STATUSES)[number];

export const STUDY_STATUS_LABELS: Record<StudyStatus, string> = {
  unassigned: 'Unassigned',
  in_progress: 'In progress',
  submitted: 'Submitted',
  in_review: 'In review',
  changes_requested: 'Changes requested',
  accepted: 'Accepted',
};

/**
 * A study is accepted once any copy is; in review or sent back while any copy is; submitted when
 * all the readers it needs have submitted; in progress once someone started; unassigned before.
 */
export function studyStatusOf(copies: readonly { status: string }[], readersPerStudy: number): StudyStatus {
  const has = (s: string) => copies.some((c) => c.status === s);
  if (has('accepted')) return 'accepted';
  if (has('in_review')) return 'in_review';
  if (has('changes_requested')) return 'changes_requested';
  if (copies.filter((c) => c.status === 'submitted').length >= readersPerStudy) return 'submitted';
  return copies.length ? 'in_progress' : 'unassigned';
}
