import { describe, expect, it } from 'vitest';
import { splitPatients, type SplitCandidate } from '@/lib/datasets/split-patients';

const split = (train: number, val: number, test: number, seed = 's', stratify = true) => ({ train, val, test, seed, stratify });
const patients = (n: number, stratum: (i: number) => string = () => '', studies: (i: number) => number = () => 1): SplitCandidate[] =>
  Array.from({ length: n }, (_, i) => ({ patientId: `p${i}`, studies: studies(i), stratum: stratum(i) }));

function share(out: Map<string, string>, cands: SplitCandidate[], filter: (c: SplitCandidate) => boolean = () => true) {
  const counts: Record<string, number> = { train: 0, val: 0, test: 0 };
  let total = 0;
  for (const c of cands.filter(filter)) {
    counts[out.get(c.patientId)!]! += c.studies;
    total += c.studies;
  }
  return Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v / total]));
}

describe('splitPatients', () => {
  it('puts every patient in exactly one split, in the asked proportions of studies', () => {
    const cands = patients(1000, () => '', (i) => 1 + (i % 4));
    const out = splitPatients(cands, split(70, 15, 15));
    expect(out.size).toBe(1000);
    const s = share(out, cands);
    expect(s.train).toBeCloseTo(0.7, 2);
    expect(s.val).toBeCloseTo(0.15, 2);
    expect(s.test).toBeCloseTo(0.15, 2);
  });

  it('keeps a rare class in every split when stratified', () => {
    const cands = patients(400, (i) => (i % 20 === 0 ? 'nodule' : 'normal'));
    const out = splitPatients(cands, split(60, 20, 20));
    const rare = share(out, cands, (c) => c.stratum === 'nodule');
    expect(rare.train).toBeCloseTo(0.6, 1);
    expect(rare.val).toBeCloseTo(0.2, 1);
    expect(rare.test).toBeCloseTo(0.2, 1);
  });

  it('is reproducible by seed and independent of input order; another seed shuffles', () => {
    const cands = patients(200);
    const a = splitPatients(cands, split(70, 15, 15, 'one'));
    const b = splitPatients([...cands].reverse(), split(70, 15, 15, 'one'));
    expect([...b].sort()).toEqual([...a].sort());
    const c = splitPatients(cands, split(70, 15, 15, 'two'));
    expect([...c].sort()).not.toEqual([...a].sort());
  });

  it('gives a 0% split nothing, and a single patient to the largest share', () => {
    const out = splitPatients(patients(50), split(80, 0, 20));
    expect([...out.values()].includes('val')).toBe(false);
    expect(splitPatients(patients(1), split(10, 10, 80)).get('p0')).toBe('test');
  });
});
