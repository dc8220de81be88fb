import { AppError } from '@/lib/errors/app-error';
import type { VersionRevocations } from '../find-version-revocations';

/** The live revocations.json of a version from the Cohort that published it (`<cohort>/api/dataset-revocations/<cid>`). */
export async function fetchRevocations(cohortUrl: string, cid: string, timeoutMs: number): Promise<VersionRevocations> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const res = await fetch(`${cohortUrl.replace(/\/+$/, '')}/api/dataset-revocations/${cid}`, { signal: controller.signal });
    if (!res.ok) throw new AppError('BAD_GATEWAY', `Cohort answered ${res.status} for the revocations of ${cid}.`);
    const body = (await res.json()) as VersionRevocations;
    if (body?.format !== 'cohort-dataset-revocations/v1' || !Array.isArray(body.revoked)) throw new AppError('BAD_GATEWAY', 'Cohort did not answer with a revocations.json.');
    return body;
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('BAD_GATEWAY', `The revocations could not be fetched${controller.signal.aborted ? ` within ${timeoutMs} ms` : `: ${(err as Error).message}`}.`);
  } finally {
    clearTimeout(timer);
  }
}
