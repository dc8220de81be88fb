/**
 * A patient's key in Cohort: their Patient ID, or, for files that carry none, a key of the study
 * alone (so such studies never merge into one anonymous patient). The second is not an ID to show.
 */
const STUDY_ONLY = 'study:';

export function patientKeyOf(patientId: string, studyInstanceUid: string): string {
  return patientId || `${STUDY_ONLY}${studyInstanceUid}`;
}

/** The Patient ID a key stands for: empty for a study-only key. */
export function patientIdOf(patientKey: string): string {
  return patientKey.startsWith(STUDY_ONLY) ? '' : patientKey;
}
