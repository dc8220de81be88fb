/** What a ledger verification reports: the shapes shared by the verifier, its workers and its callers. */
export type VerifyPhase = 'entries' | 'nodes' | 'checkpoints';
export type VerifyProgress = { phase: VerifyPhase; done: number; total: number };
export type VerifyFailure = { phase: VerifyPhase; seq?: number; treeSize?: number; reason: string };
export type VerifyReport =
  | { ok: true; entries: number; nodes: number; checkpoints: number; root: string; bytes: number; threads: number }
  | { ok: false; failure: VerifyFailure };

/** Thrown at the first problem found; verifyLedger turns it into its report. */
export class VerifyFailed extends Error {
  constructor(readonly failure: VerifyFailure) {
    super(failure.reason);
  }
}

export function fail(phase: VerifyPhase, seq: number | undefined, reason: string, treeSize?: number): never {
  throw new VerifyFailed({ phase, reason, ...(seq !== undefined ? { seq } : {}), ...(treeSize !== undefined ? { treeSize } : {}) });
}

/** The failure found first in sequence order: what a verifier reading entries one by one would name. */
export function earliest(a: VerifyFailure | null, b: VerifyFailure | null): VerifyFailure | null {
  if (!a || !b) return a ?? b;
  return (b.seq ?? Infinity) < (a.seq ?? Infinity) ? b : a;
}
