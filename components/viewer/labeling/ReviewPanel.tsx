'use client';

import { cx } from '@/components/ui/cx';
import type { AnnotationView } from './labeling-setup';
import type { Arrangement, Review } from './use-review';

const ARRANGEMENTS: { id: Arrangement; label: string; hint: string }[] = [
  { id: 'overlay', label: 'Overlaid', hint: 'On one image: the first reader filled, the others as outlines.' },
  { id: 'side-by-side', label: 'Side by side', hint: 'One pane per reader, scrolling, windowing and zooming together.' },
];

/** The reviewer's side panel: how readers' copies are compared, each shown or hidden, and where to decide. */
export function ReviewPanel({ review, onArrange }: { review: Review; onArrange: (arrangement: Arrangement) => void }) {
  const { copies, setup, arrangement } = review;
  return (
    <aside className="flex w-72 shrink-0 flex-col gap-4 overflow-y-auto border-l border-slate-800 p-3 text-sm" aria-label="Review" data-testid="review-panel" data-copies={copies?.length ?? ''}>
      <section>
        <h2 className="font-semibold text-slate-100">Readers’ labels</h2>
        <div className="mt-2 flex rounded bg-slate-900 p-0.5" role="radiogroup" aria-label="Compare readers">
          {ARRANGEMENTS.map((a) => (
            <button
              key={a.id}
              type="button"
              role="radio"
              aria-checked={arrangement === a.id}
              disabled={a.id === 'side-by-side' && !review.canCompare}
              title={a.id === 'side-by-side' && !review.canCompare ? 'Needs two readers with saved labels.' : a.hint}
              onClick={() => onArrange(a.id)}
              className={cx('flex-1 rounded px-2 py-1 text-xs disabled:opacity-40', arrangement === a.id ? 'bg-sky-700 text-white' : 'text-slate-300 hover:bg-slate-800')}
            >
              {a.label}
            </button>
          ))}
        </div>
        <p className="mt-1 text-xs text-slate-400">Read-only. {ARRANGEMENTS.find((a) => a.id === arrangement)!.hint}</p>
      </section>
      {review.error && (
        <p className="text-red-300" role="alert">
          The labels could not be loaded: {review.error}
        </p>
      )}
      {copies === null && !review.error && <p className="text-slate-400">Loading the readers’ labels…</p>}
      {copies?.length === 0 && <p className="text-slate-400">No reader has saved labels on this study yet.</p>}
      {copies && copies.length > 0 && (
        <ul className="space-y-2">
          {copies.map((c, i) => (
            <li key={c.id} className="rounded bg-slate-900 px-2 py-1.5">
              <label className="flex items-center gap-2 text-slate-100">
                <input type="checkbox" checked={!review.hidden.includes(c.id)} onChange={() => review.toggle(c.id)} className="accent-sky-500" aria-label={`Show ${c.readerName}`} />
                {c.readerName}
                <span className="ml-auto text-xs text-slate-400">{arrangement === 'side-by-side' ? `pane ${i + 1}` : i === 0 ? 'filled' : 'outline'}</span>
              </label>
              <p className="mt-0.5 text-xs text-slate-400">
                version {c.version} · {c.status.replace('_', ' ')} · {c.view.saved?.content.regions.length ?? 0} regions
              </p>
              <ReaderAnswers view={c.view} readerName={c.readerName} />
            </li>
          ))}
        </ul>
      )}
      {setup && (
        <a href={`/projects/${setup.projectId}/studies/${setup.studyId}`} className="rounded bg-emerald-700 px-3 py-1.5 text-center text-white hover:bg-emerald-600">
          Accept or request changes →
        </a>
      )}
    </aside>
  );
}

/** A copy's saved answers in words (series-level ones say so: the study page lists them per series). */
function ReaderAnswers({ view, readerName }: { view: AnnotationView; readerName: string }) {
  const answers = view.saved?.content.answers ?? [];
  if (!answers.length) return null;
  const questions = view.schema.schema.questions;
  return (
    <ul className="mt-1 space-y-0.5 text-xs text-slate-300" aria-label={`${readerName}’s answers`}>
      {answers.map((a) => {
        const q = questions.find((x) => x.id === a.questionId);
        const label = (id: string) => q?.choices.find((ch) => ch.id === id)?.label ?? id;
        return (
          <li key={`${a.questionId}:${a.seriesInstanceUid ?? ''}`}>
            <span className="text-slate-400">
              {q?.question ?? a.questionId}
              {a.seriesInstanceUid ? ' (a series)' : ''}:
            </span>{' '}
            {a.choiceIds.map(label).join(', ') || '—'}
          </li>
        );
      })}
    </ul>
  );
}
