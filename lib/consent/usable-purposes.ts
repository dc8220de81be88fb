import { canUse } from './can-use';
import { CONSENT_PURPOSES, type ConsentPurpose } from './purposes';

/** For each study, the purposes its patient's consent allows now (for project and study pages). */
export async function usablePurposes(studyIds: readonly string[]): Promise<Map<string, ConsentPurpose[]>> {
  const out = new Map<string, ConsentPurpose[]>(studyIds.map((id) => [id, []]));
  for (const purpose of CONSENT_PURPOSES) {
    for (const [id, status] of await canUse(studyIds, purpose)) if (status.usable) out.get(id)?.push(purpose);
  }
  return out;
}
