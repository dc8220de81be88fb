import type { ProjectAgreement } from '@/lib/annotations/project-agreement';
import { formatPercent } from '@/lib/format/format-percent.client';

const PLURALS: Record<string, string> = { study: 'studies', series: 'series' };
const count = (n: number, noun: string) => `${n} ${n === 1 ? noun : (PLURALS[noun] ?? `${noun}s`)}`;

function Bar({ label, value, color, detail }: { label: string; value: number; color?: string; detail: string }) {
  return (
    <div className="grid grid-cols-[8rem_1fr_4rem] items-center gap-2 text-sm">
      <span className="truncate" title={label}>
        {label}
      </span>
      <div className="h-3 rounded bg-slate-100 dark:bg-slate-800" role="img" aria-label={`${label}: mean Dice ${formatPercent(value)} (${detail})`}>
        <div className="h-3 rounded" style={{ width: `${Math.max(1, value * 100)}%`, background: color ?? '#0ea5e9' }} />
      </div>
      <span className="text-right tabular-nums" data-testid="mean-dice">
        {formatPercent(value)}
      </span>
    </div>
  );
}

/** Inter-reader agreement across the project: mean Dice per segment and per reader, kappa per question. */
export function AgreementDashboard({ agreement, csvHref }: { agreement: ProjectAgreement; csvHref: string }) {
  if (agreement.studies === 0) {
    return <p className="text-sm text-slate-500">Agreement appears once a study has labels saved by two or more readers.</p>;
  }
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600 dark:text-slate-400">
        {agreement.studies} {agreement.studies === 1 ? 'study' : 'studies'} with several readers ·{' '}
        <a href={csvHref} className="text-brand-700 hover:underline dark:text-brand-500" download>
          Download CSV
        </a>
      </p>
      {agreement.bySegment.length > 0 && (
        <div className="space-y-1">
          <h3 className="text-xs font-semibold text-slate-500 uppercase">Mean Dice between readers, per segment</h3>
          {agreement.bySegment.map((s) => (
            <Bar key={s.segment} label={s.name} value={s.meanDice} color={s.color} detail={`${count(s.n, 'pair')}, IoU ${formatPercent(s.meanIou)}`} />
          ))}
        </div>
      )}
      {agreement.byReader.length > 0 && (
        <div className="space-y-1">
          <h3 className="text-xs font-semibold text-slate-500 uppercase">Mean Dice per reader</h3>
          <p className="text-xs text-slate-500">Against the accepted label where a study has one, otherwise against the study&apos;s other readers.</p>
          {agreement.byReader.map((r) => (
            <Bar key={r.readerId} label={r.reader} value={r.meanDice} detail={`${count(r.n, 'comparison')}${r.againstAccepted ? `, ${r.againstAccepted} against accepted` : ''}`} />
          ))}
        </div>
      )}
      {agreement.kappa.length > 0 && (
        <table className="w-full text-left text-sm" aria-label="Classification agreement">
          <thead className="text-xs text-slate-500 uppercase">
            <tr>
              <th className="py-1 pr-3">Question</th>
              <th className="py-1 pr-3">Kappa</th>
              <th className="py-1">Answered by all readers</th>
            </tr>
          </thead>
          <tbody>
            {agreement.kappa.map((k) => (
              <tr key={k.questionId} className="border-t border-slate-100 dark:border-slate-800">
                <td className="py-1 pr-3">{k.question}</td>
                <td className="py-1 pr-3">
                  {k.kappa === null ? 'undefined' : k.kappa.toFixed(3)} <span className="text-xs text-slate-500">({k.method === 'cohen' ? "Cohen's" : "Fleiss'"})</span>
                </td>
                <td className="py-1">{k.level === 'series' ? `${count(k.items, 'series')} in ${count(k.studies, 'study')}` : count(k.studies, 'study')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
