import type { ClassBalance } from '@/lib/datasets/summarize-selection';
import type { Split } from '@/lib/datasets/schemas';

const SPLIT_STYLE: Record<Split, { label: string; className: string }> = {
  train: { label: 'Train', className: 'fill-brand-600' },
  val: { label: 'Validation', className: 'fill-amber-500' },
  test: { label: 'Test', className: 'fill-sky-600' },
};
const SPLITS: Split[] = ['train', 'val', 'test'];

/** One bar per class, as long as its study count, split into train / validation / test: is every class in every split? */
export function ClassBalanceChart({ classes }: { classes: ClassBalance[] }) {
  if (!classes.length) return <p className="text-sm text-slate-500">No labeled class in the included studies yet.</p>;
  const max = Math.max(...classes.map((c) => c.total));
  const rowHeight = 26;
  const labelWidth = 190;
  const barWidth = 360;
  return (
    <figure>
      <svg role="img" aria-label="Studies per class and split" viewBox={`0 0 ${labelWidth + barWidth + 60} ${classes.length * rowHeight + 4}`} className="w-full max-w-2xl text-xs">
        {classes.map((c, i) => {
          let x = labelWidth;
          const y = i * rowHeight + 4;
          return (
            <g key={c.name} data-testid="class-balance-row">
              <title>{`${c.name}: ${c.train} train, ${c.val} validation, ${c.test} test`}</title>
              <text x={labelWidth - 8} y={y + 13} textAnchor="end" className="fill-current">
                {c.name.length > 28 ? `${c.name.slice(0, 27)}…` : c.name}
              </text>
              {SPLITS.map((s) => {
                const w = (c[s] / max) * barWidth;
                const rect = <rect key={s} x={x} y={y} width={w} height={18} className={SPLIT_STYLE[s].className} />;
                x += w;
                return rect;
              })}
              <text x={x + 6} y={y + 13} className="fill-current tabular-nums">
                {c.total}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="mt-2 flex gap-4 text-xs text-slate-600 dark:text-slate-400">
        {SPLITS.map((s) => (
          <span key={s} className="inline-flex items-center gap-1.5">
            <svg width="10" height="10" aria-hidden>
              <rect width="10" height="10" className={SPLIT_STYLE[s].className} />
            </svg>
            {SPLIT_STYLE[s].label}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
