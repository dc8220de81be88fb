import type { SessionUser } from '@/lib/auth/session-user';
import type { ConsentPurpose } from '@/lib/consent/purposes';
import { requestConsent } from '@/lib/consent/request-consent';
import { getDb } from '@/lib/db/client';
import { requireProjectAccess } from './project-access';

/**
 * Declares the use (consent purpose) the project's labels and datasets need, or none. The patients of
 * the studies already in it who have not decided on that use are asked at once, in the same
 * transaction; studies joining later are asked as they join.
 */
export async function setProjectConsentPurpose({
  user,
  projectId,
  consentPurpose,
}: {
  user: Pick<SessionUser, 'id' | 'roles'>;
  projectId: string;
  consentPurpose: ConsentPurpose | null;
}): Promise<{ consentPurpose: ConsentPurpose | null; consentRequests: number }> {
  await requireProjectAccess(user, projectId, 'manage');
  return getDb().$transaction(async (tx) => {
    await tx.project.update({ where: { id: projectId }, data: { consentPurpose } });
    if (!consentPurpose) return { consentPurpose, consentRequests: 0 };
    const studyIds = (await tx.projectStudy.findMany({ where: { projectId }, select: { studyId: true } })).map((s) => s.studyId);
    return { consentPurpose, consentRequests: await requestConsent(tx, { projectId, purpose: consentPurpose, studyIds }) };
  });
}
