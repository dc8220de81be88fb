/** A fraction as a percentage with one decimal ("53.2%"); an undefined statistic as a dash. */
export function formatPercent(fraction: number | null): string {
  return fraction === null ? '—' : `${(fraction * 100).toFixed(1)}%`;
}
