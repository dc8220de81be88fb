import { AppError } from '@/lib/errors/app-error';
import type { ModelManifest } from './manifest';

/**
 * One image's class probabilities from its `class-scores` output, as the manifest's activation says:
 * `softmax` over the listed classes' channels (they sum to 1), `sigmoid` per class, `none` as given.
 * Returned in the manifest's class order.
 */
export function classProbabilities(scores: Float32Array, manifest: ModelManifest): Float64Array {
  const { classes } = manifest.output;
  const highest = Math.max(...classes.map((c) => c.index));
  if (scores.length <= highest) throw new AppError('CONFLICT', `${manifest.name} gave ${scores.length} class scores per image; its manifest names class ${highest}.`);
  const { activation } = manifest.postprocessing;
  const raw = Float64Array.from(classes, (c) => scores[c.index] ?? Number.NaN);
  if (activation === 'sigmoid') return raw.map((v) => 1 / (1 + Math.exp(-v)));
  if (activation !== 'softmax') return raw;
  const top = Math.max(...raw);
  const e = raw.map((v) => Math.exp(v - top));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

/**
 * A series' class probabilities from its slices': their mean or their max, as the manifest says.
 * Slices are added one at a time (memory does not grow with the series).
 */
export function seriesProbabilities(manifest: ModelManifest): { add: (p: Float64Array) => void; result: () => Float64Array } {
  const n = manifest.output.classes.length;
  const max = manifest.postprocessing.seriesAggregate === 'max';
  const acc = new Float64Array(n).fill(max ? -Infinity : 0);
  let slices = 0;
  return {
    add: (p) => {
      slices++;
      for (let c = 0; c < n; c++) acc[c] = max ? Math.max(acc[c]!, p[c]!) : acc[c]! + p[c]!;
    },
    result: () => (slices === 0 ? new Float64Array(n) : max ? acc.slice() : acc.map((v) => v / slices)),
  };
}
