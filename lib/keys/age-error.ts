/**
 * Why an age file did not decrypt, in the classes the age test vectors (C2SP/CCTV) distinguish: a
 * malformed header must not be reported as a wrong key, nor a wrong key as tampering.
 */
export type AgeFailure = 'armor' | 'header' | 'no match' | 'hmac' | 'payload';

export class AgeError extends Error {
  constructor(
    readonly failure: AgeFailure,
    message: string,
  ) {
    super(message);
    this.name = 'AgeError';
  }
}
