'use client';

import { Thumbnail } from '@/components/studies/Thumbnail';
import { cx } from '@/components/ui/cx';
import { SERIES_DRAG_TYPE } from './StackPane';
import type { ViewerSeries } from './viewer-study';

/** The study's series as thumbnails: click to show one in the active viewport, or drag it onto any. */
export function SeriesPanel({
  studyUid,
  series,
  shown,
  onPick,
}: {
  studyUid: string;
  series: ViewerSeries[];
  shown: (string | null)[];
  onPick: (seriesUid: string) => void;
}) {
  return (
    <nav aria-label="Series" className="w-40 shrink-0 space-y-2 overflow-y-auto border-r border-slate-800 p-2">
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
          className={cx(
            'block w-full rounded-md p-1.5 text-left hover:bg-slate-800',
            shown.includes(s.seriesInstanceUid) && 'bg-slate-800 ring-1 ring-sky-600',
          )}
        >
          <Thumbnail src={`/dicomweb/studies/${studyUid}/series/${s.seriesInstanceUid}/thumbnail`} label={s.modality || '?'} size={136} />
          <span className="mt-1 block truncate text-xs font-medium">{s.description || 'No description'}</span>
          <span className="block text-xs text-slate-400">
            {[s.number !== null ? `Se ${s.number}` : null, s.modality, `${s.instanceCount} im`].filter(Boolean).join(' · ')}
          </span>
        </button>
      ))}
    </nav>
  );
}
