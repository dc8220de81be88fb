import { consentStatuses } from './can-use';
import { CONSENT_PURPOSES, type ConsentPurpose } from './purposes';

/** For each study, the purposes its patient's consent allows now (for the worklist and project pages). */
export async function usablePurposes(studyIds: readonly string[]): Promise<Map<string, ConsentPurpose[]>> {
  const statuses = await consentStatuses(studyIds, CONSENT_PURPOSES);
  return new Map(studyIds.map((id) => [id, CONSENT_PURPOSES.filter((p) => statuses.get(id)?.[p]?.usable)]));
}
