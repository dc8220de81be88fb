import { createHmac } from 'node:crypto';
import { getPseudonymKey } from '@/lib/config/secrets';
import { keyedToken } from '@/lib/ledger/pseudonym';

/** Dates move back by 1 to 3,650 days, the same for all of one patient's studies. */
const MAX_SHIFT_DAYS = 3650;

/**
 * The secrets one dataset is de-identified with, derived from the installation's pseudonym key and
 * the dataset's id: stable across its versions (a study keeps its pseudonym and UIDs from one version
 * to the next, so holders can compare them), unlinkable between datasets, and never published.
 */
export type DatasetKeys = {
  /** Keys UID remapping (lib/dicom/deidentify/remap-uid.ts). */
  uidKey: Uint8Array<ArrayBuffer>;
  studyPseudonym(studyId: string): string;
  patientPseudonym(patientId: string): string;
  dateShiftDays(patientId: string): number;
};

export function datasetKeys(datasetId: string, secret: string = getPseudonymKey()): DatasetKeys {
  const scope = `cohort-dataset\0${datasetId}`;
  return {
    uidKey: new Uint8Array(createHmac('sha256', secret).update(`${scope}\0uids`).digest()),
    studyPseudonym: (studyId) => `study-${keyedToken(`${scope}\0study`, studyId, secret, 16)}`,
    patientPseudonym: (patientId) => `patient-${keyedToken(`${scope}\0patient`, patientId, secret, 16)}`,
    dateShiftDays: (patientId) => -(1 + (createHmac('sha256', secret).update(`${scope}\0shift\0${patientId}`).digest().readUInt32BE(0) % MAX_SHIFT_DAYS)),
  };
}
