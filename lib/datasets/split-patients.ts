import { createHash } from 'node:crypto';
import { SPLITS, type DatasetSplit, type Split } from './schemas';

/** A patient to place: how many studies they bring, and the stratum (class) they count towards. */
export type SplitCandidate = { patientId: string; studies: number; stratum: string };

/**
 * Assigns whole patients to train/val/test, so no patient's studies are in two splits. Patients are
 * taken in an order fixed by the seed (SHA-256 of seed and id: reproducible, unrelated to insertion
 * order), stratum by stratum, each to the split furthest below its share of that stratum's studies
 * (ties: furthest below its share overall, then train, val, test). Same input and seed, same split.
 */
export function splitPatients(candidates: readonly SplitCandidate[], split: DatasetSplit): Map<string, Split> {
  const share: Record<Split, number> = { train: split.train / 100, val: split.val / 100, test: split.test / 100 };
  const strata = new Map<string, SplitCandidate[]>();
  for (const c of candidates) {
    const key = split.stratify ? c.stratum : '';
    const list = strata.get(key);
    if (list) list.push(c);
    else strata.set(key, [c]);
  }
  const rank = (id: string) => createHash('sha256').update(`${split.seed}\0${id}`).digest('hex');
  const overall: Record<Split, number> = { train: 0, val: 0, test: 0 };
  let overallTotal = 0;
  const out = new Map<string, Split>();
  for (const key of [...strata.keys()].sort()) {
    const patients = strata.get(key)!.map((c) => ({ c, rank: rank(c.patientId) })).sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0));
    const here: Record<Split, number> = { train: 0, val: 0, test: 0 };
    let hereTotal = 0;
    for (const { c } of patients) {
      const deficit = (counts: Record<Split, number>, total: number, s: Split) => share[s] * (total + c.studies) - counts[s];
      let best: Split = 'train';
      let bestKey: [number, number] = [-Infinity, -Infinity];
      for (const s of SPLITS) {
        if (share[s] === 0) continue;
        const k: [number, number] = [deficit(here, hereTotal, s), deficit(overall, overallTotal, s)];
        if (k[0] > bestKey[0] + 1e-9 || (Math.abs(k[0] - bestKey[0]) <= 1e-9 && k[1] > bestKey[1] + 1e-9)) {
          best = s;
          bestKey = k;
        }
      }
      out.set(c.patientId, best);
      here[best] += c.studies;
      hereTotal += c.studies;
      overall[best] += c.studies;
      overallTotal += c.studies;
    }
  }
  return out;
}
