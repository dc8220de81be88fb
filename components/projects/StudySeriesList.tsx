'use client';

import { Thumbnail } from '@/components/studies/Thumbnail';
import { Badge } from '@/components/ui/Badge';
import { useActionRunner } from '@/components/ui/use-action-runner';
import type { Action } from '@/lib/http/action-result';
import type { ProjectSeriesView } from '@/lib/projects/study-series';

type Input = { projectId: string; studyId: string; seriesInstanceUid: string; toLabel: boolean | null };

/**
 * The study's series with what the project does with each: labeled by the series rule, added or
 * left out by hand. Managers (`action`) change that one series at a time. Thumbnails for users who
 * may see images (`thumbnails`): ML engineers get de-identified data only, in datasets.
 */
export function StudySeriesList({
  projectId,
  studyId,
  studyInstanceUid,
  series,
  thumbnails,
  action,
}: {
  projectId: string;
  studyId: string;
  studyInstanceUid: string;
  series: ProjectSeriesView[];
  thumbnails: boolean;
  action: Action<Input, unknown> | null;
}) {
  const { busy, message, run } = useActionRunner();
  const choose = (s: ProjectSeriesView, toLabel: boolean | null) => run(() => action!({ projectId, studyId, seriesInstanceUid: s.seriesInstanceUid, toLabel }));
  return (
    <>
      <ul className="divide-y divide-slate-100 dark:divide-slate-800" aria-label="Series">
        {series.map((s) => (
          <li key={s.seriesInstanceUid} className="flex items-center gap-3 py-2" data-testid="project-series" data-series={s.seriesInstanceUid} data-to-label={s.toLabel}>
            <Thumbnail src={thumbnails ? `/dicomweb/studies/${studyInstanceUid}/series/${s.seriesInstanceUid}/thumbnail` : null} label={s.modality || '?'} size={48} />
            <span className="min-w-0 flex-1">
              <span className="block truncate text-sm font-medium">{s.description || 'No description'}</span>
              <span className="block text-xs text-slate-500">{[s.number !== null ? `Series ${s.number}` : null, s.modality, `${s.instanceCount} images`].filter(Boolean).join(' · ')}</span>
            </span>
            <SeriesVerdict series={s} />
            {action && s.holdsImages && (
              <span className="flex shrink-0 gap-2 text-xs">
                <button type="button" disabled={busy} onClick={() => choose(s, !s.toLabel)} className="text-brand-700 hover:underline disabled:opacity-50 dark:text-brand-500">
                  {s.toLabel ? 'Leave out' : 'Label it'}
                </button>
                {s.choice !== null && (
                  <button type="button" disabled={busy} onClick={() => choose(s, null)} className="text-slate-600 hover:underline disabled:opacity-50 dark:text-slate-400">
                    Follow the rule
                  </button>
                )}
              </span>
            )}
          </li>
        ))}
      </ul>
      {message?.tone === 'error' && (
        <p className="mt-2 text-sm text-red-600" role="alert">
          {message.text}
        </p>
      )}
    </>
  );
}

function SeriesVerdict({ series: s }: { series: ProjectSeriesView }) {
  if (!s.holdsImages) return <Badge>No images</Badge>;
  if (s.choice === true) return <Badge tone="success">To label (added)</Badge>;
  if (s.choice === false) return <Badge tone="warning">Left out</Badge>;
  return s.toLabel ? <Badge tone="success">To label</Badge> : <Badge>Not in the rule</Badge>;
}
