import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import { getBlobStore } from '@/lib/storage/get-blob-store';
import type { ConsentDecisionKind, ConsentPurpose } from './purposes';
import { recordDecision, type RecordedDecision } from './record-decision';

/** Scans of signed forms Cohort keeps: PDF or a photo, at most 20 MiB. */
export const PAPER_FORM_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export const MAX_PAPER_FORM_BYTES = 20 * 1024 * 1024;

/**
 * An admin records a patient's decision from a signed paper form: the scan goes into the blob store,
 * the decision (source `paper_form`, the scan's SHA-256 as its evidence) and its ledger entry commit
 * together. For one study of the patient or all of them; a study of another patient is NOT_FOUND.
 */
export async function recordPaperForm({
  actorId,
  patientId,
  studyId,
  purpose,
  decision,
  validUntil,
  scan,
}: {
  actorId: string;
  patientId: string;
  studyId: string | null;
  purpose: ConsentPurpose;
  decision: ConsentDecisionKind;
  validUntil: Date | null;
  scan: { bytes: Uint8Array; type: string };
}): Promise<RecordedDecision> {
  if (!(PAPER_FORM_TYPES as readonly string[]).includes(scan.type)) throw new AppError('BAD_REQUEST', 'The scan must be a PDF, JPEG or PNG file.');
  if (scan.bytes.length === 0) throw new AppError('BAD_REQUEST', 'The scan is empty.');
  if (scan.bytes.length > MAX_PAPER_FORM_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', 'The scan is larger than 20 MiB.');
  const db = getDb();
  const patient = await db.patient.findUnique({ where: { id: patientId }, select: { id: true, patientKey: true, issuer: true } });
  if (!patient) throw new AppError('NOT_FOUND', 'No such patient.');
  const study = studyId ? await db.study.findFirst({ where: { id: studyId, patientId }, select: { id: true, studyInstanceUid: true } }) : null;
  if (studyId && !study) throw new AppError('NOT_FOUND', 'No such study of this patient.');
  const blob = await getBlobStore().put(scan.bytes);
  return db.$transaction((tx) => recordDecision(tx, { userId: actorId, patient, study, purpose, decision, validUntil, source: 'paper_form', evidenceSha256: blob.sha256 }));
}
