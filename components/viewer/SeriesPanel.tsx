'use client';

import { Thumbnail } from '@/components/studies/Thumbnail';
import { cx } from '@/components/ui/cx';
import { describeSeriesSelection, narrowsSeries, type SeriesSelection } from '@/lib/projects/series-rule.client';
import { dicomwebUrl } from './dicomweb-root';
import { SERIES_DRAG_TYPE } from './StackPane';
import type { ViewerSeries } from './viewer-study';

/**
 * The study's series as thumbnails: click to show one in the active viewport, or drag it onto any.
 * Opened from a project that names the series it labels (`selection`), those (`toLabel`) are marked,
 * the series a manager left out say so, and the rule is said, so a study where none matches says so.
 */
export function SeriesPanel({
  studyUid,
  series,
  selection,
  toLabel,
  shown,
  onPick,
}: {
  studyUid: string;
  series: ViewerSeries[];
  selection: SeriesSelection | null;
  toLabel: ReadonlySet<string>;
  shown: (string | null)[];
  onPick: (seriesUid: string) => void;
}) {
  return (
    // A column beside the images; on a phone, a strip under them that scrolls sideways.
    <nav
      aria-label="Series"
      className="flex shrink-0 gap-2 overflow-x-auto border-t border-slate-800 p-2 sm:block sm:w-40 sm:space-y-2 sm:overflow-x-visible sm:overflow-y-auto sm:border-t-0 sm:border-r"
    >
      {selection && narrowsSeries(selection) && (
        <p className="w-37 shrink-0 text-[11px] text-slate-400 sm:w-full" data-testid="series-rule-note">
          To label: {describeSeriesSelection(selection)}
          {toLabel.size === 0 && <span className="block text-amber-300">No series of this study matches.</span>}
        </p>
      )}
      {series.map((s) => (
        <button
          key={s.seriesInstanceUid}
          type="button"
          draggable
          onDragStart={(e) => {
            e.dataTransfer.setData(SERIES_DRAG_TYPE, s.seriesInstanceUid);
            e.dataTransfer.effectAllowed = 'copy';
          }}
          onClick={() => onPick(s.seriesInstanceUid)}
          data-testid="series-thumbnail"
          data-series={s.seriesInstanceUid}
          data-to-label={toLabel.has(s.seriesInstanceUid) || undefined}
          className={cx(
            'block w-37 shrink-0 rounded-md p-1.5 text-left hover:bg-slate-800 sm:w-full',
            shown.includes(s.seriesInstanceUid) && 'bg-slate-800 ring-1 ring-sky-600',
          )}
        >
          <Thumbnail src={dicomwebUrl(`/studies/${studyUid}/series/${s.seriesInstanceUid}/thumbnail`)} label={s.modality || '?'} size={136} />
          <span className="mt-1 block truncate text-xs font-medium">{s.description || 'No description'}</span>
          {toLabel.has(s.seriesInstanceUid) && <span className="mt-0.5 inline-block rounded bg-emerald-900/70 px-1.5 text-[11px] font-medium text-emerald-200">To label</span>}
          {selection?.choices[s.seriesInstanceUid] === false && <span className="mt-0.5 inline-block rounded bg-slate-800 px-1.5 text-[11px] font-medium text-slate-300">Left out</span>}
          <span className="block text-xs text-slate-400">
            {[s.number !== null ? `Se ${s.number}` : null, s.modality, `${s.instanceCount} im`].filter(Boolean).join(' · ')}
          </span>
        </button>
      ))}
    </nav>
  );
}
