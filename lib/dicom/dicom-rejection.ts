import { AppError } from '@/lib/errors/app-error';

/**
 * Why an object was not stored, as DICOM says it (PS3.4 Annex GG / PS3.18 STOW-RS FailureReason,
 * tag 0008,1197) and as a person reads it.
 */
export const FAILURE_REASON = {
  /** Not DICOM, truncated, or not decodable with its transfer syntax. */
  CANNOT_UNDERSTAND: 0xc000,
  /** Required attributes missing or invalid (UIDs, SOP Class). */
  DATA_SET_DOES_NOT_MATCH_SOP_CLASS: 0xa900,
  /** Larger than this installation accepts. */
  OUT_OF_RESOURCES: 0xa700,
  /** Another object with this SOP Instance UID, but different content, is already stored. */
  DUPLICATE_SOP_INSTANCE: 0x0111,
  /** A DICOMDIR or another kind of object that is not a patient's instance. */
  SOP_CLASS_NOT_SUPPORTED: 0x0122,
  /** Storing failed on our side (disk, database); sending it again may work. */
  PROCESSING_FAILURE: 0x0110,
} as const;

export type FailureReason = (typeof FAILURE_REASON)[keyof typeof FAILURE_REASON];

export class DicomRejection extends AppError {
  /** The object's UIDs when it was read far enough to know them, so a response can name it. */
  sopInstanceUid?: string;
  sopClassUid?: string;

  constructor(
    readonly failureReason: FailureReason,
    message: string,
  ) {
    super(failureReason === FAILURE_REASON.DUPLICATE_SOP_INSTANCE ? 'CONFLICT' : failureReason === FAILURE_REASON.OUT_OF_RESOURCES ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST', message);
    this.name = 'DicomRejection';
  }
}
