import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import type { ConsentPurpose } from './purposes';
import { recordDecision, type RecordedDecision } from './record-decision';

/**
 * A patient approves or declines a request: a grant or a denial for that study and the request's
 * purpose, recorded like any decision (with its ledger entry), and the request answered, in one
 * transaction. Someone else's request is NOT_FOUND; one already answered is a CONFLICT.
 */
export async function answerConsentRequest({ userId, requestId, answer }: { userId: string; requestId: string; answer: 'approve' | 'decline' }): Promise<RecordedDecision> {
  return getDb().$transaction(async (tx) => {
    const request = await tx.consentRequest.findFirst({
      where: { id: requestId, patient: { link: { userId } } },
      include: { patient: { select: { id: true, patientKey: true, issuer: true } } },
    });
    if (!request) throw new AppError('NOT_FOUND', 'No such request of yours.');
    if (request.status !== 'pending') throw new AppError('CONFLICT', `You already ${request.status} this request.`);
    const study = await tx.study.findUniqueOrThrow({ where: { id: request.studyId }, select: { id: true, studyInstanceUid: true } });
    const decision = await recordDecision(tx, { userId, patient: request.patient, study, purpose: request.purpose as ConsentPurpose, decision: answer === 'approve' ? 'granted' : 'denied' });
    // Every request of this study and purpose is answered by it (two projects may have asked).
    await tx.consentRequest.updateMany({
      where: { studyId: study.id, purpose: request.purpose, status: 'pending' },
      data: { status: answer === 'approve' ? 'approved' : 'declined', decisionId: decision.id, answeredAt: new Date() },
    });
    return decision;
  });
}
