import { getDb } from '@/lib/db/client';

export type ModelSpeed = { runs: number; slices: number; slicesPerSecond: number };

/**
 * How fast the model has pre-annotated on this server: every proposal it made (this name and this
 * file, by SHA-256: a copy of the file under another manifest runs otherwise), slices over the jobs'
 * wall time (decoding, the model and storing, as readers wait for it). Null before its first run.
 */
export async function modelSpeed(modelName: string, modelSha256: string): Promise<ModelSpeed | null> {
  const { _count, _sum } = await getDb().aiProposal.aggregate({ where: { modelName, modelSha256 }, _count: true, _sum: { slices: true, runMs: true } });
  const slices = _sum.slices ?? 0;
  const ms = _sum.runMs ?? 0;
  if (_count === 0 || ms <= 0) return null;
  return { runs: _count, slices, slicesPerSecond: (slices * 1000) / ms };
}
