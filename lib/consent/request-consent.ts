import type { Tx } from '@/lib/db/client';
import { notifyUser } from '@/lib/notifications/notify-user';
import { consentStatus } from './consent-state';
import { PURPOSE_TEXT, type ConsentPurpose } from './purposes';

/**
 * Asks the patients of studies joining a project for the project's purpose, in the caller's
 * transaction: one request per study whose patient has not decided on that purpose (nobody is asked
 * again after declining or revoking, or twice for one study), and a message to each patient account.
 * Patients without an account see their requests once they claim their studies. Returns how many.
 */
export async function requestConsent(tx: Tx, { projectId, purpose, studyIds }: { projectId: string; purpose: ConsentPurpose; studyIds: readonly string[] }): Promise<number> {
  if (studyIds.length === 0) return 0;
  const project = await tx.project.findUniqueOrThrow({ where: { id: projectId }, select: { name: true, createdById: true } });
  const studies = await tx.study.findMany({ where: { id: { in: [...studyIds] } }, select: { id: true, patientId: true, patient: { select: { link: { select: { userId: true } } } } } });
  const patients = [...new Set(studies.map((s) => s.patientId))];
  const [decisions, asked] = await Promise.all([
    tx.consentDecision.findMany({ where: { patientId: { in: patients }, purpose } }),
    tx.consentRequest.findMany({ where: { projectId, purpose, studyId: { in: [...studyIds] } }, select: { studyId: true } }),
  ]);
  const already = new Set(asked.map((r) => r.studyId));
  const now = new Date();
  const toAsk = studies.filter((s) => {
    if (already.has(s.id)) return false;
    const status = consentStatus(decisions.filter((d) => d.patientId === s.patientId), s.id, purpose, now);
    return !status.usable && status.state === 'none';
  });
  if (toAsk.length === 0) return 0;
  await tx.consentRequest.createMany({ data: toAsk.map((s) => ({ projectId, studyId: s.id, patientId: s.patientId, purpose, requestedById: project.createdById })) });
  const perUser = new Map<string, number>();
  for (const s of toAsk) if (s.patient.link) perUser.set(s.patient.link.userId, (perUser.get(s.patient.link.userId) ?? 0) + 1);
  for (const [userId, count] of perUser) {
    await notifyUser(tx, userId, {
      kind: 'consent',
      title: 'A request to use your imaging',
      body: `"${project.name}" asks to use ${count === 1 ? 'one of your studies' : `${count} of your studies`} for ${PURPOSE_TEXT[purpose].label.toLowerCase()}. You decide under My studies.`,
      href: '/me',
    });
  }
  return toAsk.length;
}
