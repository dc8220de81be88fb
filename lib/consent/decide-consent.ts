import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import { anyGranted } from './any-granted';
import { recordDecision, type RecordedDecision } from './record-decision';
import type { DecideConsentInput } from './schemas';

/**
 * A patient's consent decision on one purpose, for one of their studies or for all of them (one
 * decision per patient their account holds), each committed with its ledger entry (recordDecision).
 * Someone else's study is NOT_FOUND; revoking what is not granted is a CONFLICT. Requests the
 * decision answers (the study's, or all the patient's for that purpose) are answered with it.
 */
export async function decideConsent({ userId, input }: { userId: string; input: DecideConsentInput }): Promise<RecordedDecision[]> {
  const db = getDb();
  return db.$transaction(async (tx) => {
    // Read in the transaction: the link or the state may change between a check outside and the write.
    const links = await tx.patientLink.findMany({ where: { userId }, select: { patient: { select: { id: true, patientKey: true, issuer: true } } } });
    const mine = new Map(links.map((l) => [l.patient.id, l.patient]));
    let targets: { patient: { id: string; patientKey: string; issuer: string }; study: { id: string; studyInstanceUid: string } | null }[];
    if (input.studyId) {
      const study = await tx.study.findUnique({ where: { id: input.studyId }, select: { id: true, studyInstanceUid: true, patientId: true } });
      const patient = study && mine.get(study.patientId);
      if (!study || !patient) throw new AppError('NOT_FOUND', 'No such study among yours.');
      targets = [{ patient, study }];
    } else {
      if (mine.size === 0) throw new AppError('NOT_FOUND', 'No studies are linked to your account yet.');
      targets = [...mine.values()].map((patient) => ({ patient, study: null }));
    }

    const now = new Date();
    if (input.decision === 'revoked') {
      // Only what is allowed now can be revoked: patients (of several hospitals) with nothing allowed are left out.
      const revocable = [];
      for (const target of targets) if (await anyGranted(tx, target, input.purpose, now)) revocable.push(target);
      if (revocable.length === 0) throw new AppError('CONFLICT', `Nothing to revoke: ${input.studyId ? 'this study is' : 'none of your studies is'} currently allowed for this use.`);
      targets = revocable;
    }
    const recorded: RecordedDecision[] = [];
    for (const { patient, study } of targets) {
      const decision = await recordDecision(tx, { userId, patient, study, purpose: input.purpose, decision: input.decision, validUntil: input.validUntil ? new Date(input.validUntil) : null });
      if (input.decision !== 'revoked') {
        await tx.consentRequest.updateMany({
          where: { patientId: patient.id, purpose: input.purpose, status: 'pending', ...(study ? { studyId: study.id } : {}) },
          data: { status: input.decision === 'granted' ? 'approved' : 'declined', decisionId: decision.id, answeredAt: now },
        });
      }
      recorded.push(decision);
    }
    return recorded;
  });
}
