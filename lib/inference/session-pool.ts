import * as ort from 'onnxruntime-node';
import { env } from '@/lib/config/env';

// ONNX Runtime otherwise looks up a telemetry host some seconds after the first session.
process.env.ORT_DISABLE_TELEMETRY ??= '1';

type Pool = Map<string, Promise<ort.InferenceSession>>;

/**
 * ONNX Runtime sessions, one per model file (by SHA-256), created on first use and reused by every
 * run after: creating one costs far more than a run. Kept on globalThis, so module reloads in
 * development do not leak sessions.
 */
function pool(): Pool {
  const g = globalThis as { __cohortOnnxSessions?: Pool };
  g.__cohortOnnxSessions ??= new Map();
  return g.__cohortOnnxSessions;
}

export function sessionOptions(): ort.InferenceSession.SessionOptions {
  return {
    // CUDA first when asked for: ONNX Runtime falls back to the next provider when it is missing.
    executionProviders: env.COHORT_INFERENCE_CUDA ? ['cuda', 'cpu'] : ['cpu'],
    ...(env.COHORT_INFERENCE_THREADS > 0 ? { intraOpNumThreads: env.COHORT_INFERENCE_THREADS } : {}),
    graphOptimizationLevel: 'all',
    // Failures come back as exceptions Cohort reports with the job or model; no second copy on stderr.
    logSeverityLevel: 4,
  };
}

/** The session for `bytes` (an .onnx file whose SHA-256 is `sha256`). A failed creation is not cached. */
export function sessionFor(sha256: string, bytes: () => Promise<Uint8Array>): Promise<ort.InferenceSession> {
  const sessions = pool();
  let session = sessions.get(sha256);
  if (!session) {
    session = bytes().then((b) => ort.InferenceSession.create(b, sessionOptions()));
    session.catch(() => sessions.delete(sha256));
    sessions.set(sha256, session);
  }
  return session;
}

/** Releases the session of one model file (a model that failed its checks). */
export async function releaseSession(sha256: string): Promise<void> {
  const session = pool().get(sha256);
  pool().delete(sha256);
  await (await session?.catch(() => null))?.release();
}

/** Releases every session (tests, shutdown). */
export async function closeSessions(): Promise<void> {
  const sessions = pool();
  const all = [...sessions.values()];
  sessions.clear();
  await Promise.all(all.map(async (s) => (await s.catch(() => null))?.release()));
}
