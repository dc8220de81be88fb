'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import type { LoadedSeries } from '../load-series';
import type { ViewerTools } from '../viewer-tools';
import type { AnnotationView, LabelingSetup } from './labeling-setup';
import { decodeSeriesLayers } from './series-layers';

export type ReaderCopy = { id: string; readerName: string; status: string; version: number; view: AnnotationView };

/** Overlaid on one image, or one reader per pane on linked panes. */
export type Arrangement = 'overlay' | 'side-by-side';

/** Panes the viewer has: side by side shows this many readers at most. */
export const MAX_SIDE_BY_SIDE = 4;

/**
 * A reviewer's view in the viewer: every reader's saved labels of the study, read-only, either
 * overlaid on the images (the first reader filled, the others as outlines) or side by side (each
 * reader filled in a pane of their own, the panes scrolling, windowing and zooming together); each
 * reader shown or hidden at will.
 */
export function useReview(setup: LabelingSetup | null, tools: ViewerTools | null) {
  const active = setup?.mode === 'review' ? setup : null;
  const [copies, setCopies] = useState<ReaderCopy[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [hidden, setHidden] = useState<string[]>([]);
  const [arrangement, setArrangement] = useState<Arrangement>('overlay');
  /** Each attached pane: its series and the copies it shows (with their look). */
  const panes = useRef(new Map<string, { seriesUid: string; shown: { copy: ReaderCopy; outlineOnly: boolean }[] }>());

  useEffect(() => {
    if (!active) return;
    let cancelled = false;
    (async () => {
      const project = await fetch(`/api/projects/${active.projectId}`).then((r) => r.json() as Promise<{ studies: { studyId: string; annotations: { annotationId: string; readerName: string; status: string; version: number }[] }[] }>);
      const saved = project.studies.find((s) => s.studyId === active.studyId)?.annotations.filter((a) => a.version > 0) ?? [];
      const views = await Promise.all(
        saved.map(async (a) => {
          const res = await fetch(`/api/annotations/${a.annotationId}`);
          if (!res.ok) throw new Error(`HTTP ${res.status} for ${a.readerName}'s labels`);
          return { id: a.annotationId, readerName: a.readerName, status: a.status, version: a.version, view: (await res.json()) as AnnotationView };
        }),
      );
      if (!cancelled) setCopies(views);
    })().catch((err: unknown) => !cancelled && setError(err instanceof Error ? err.message : String(err)));
    return () => {
      cancelled = true;
    };
  }, [active]);

  const hiddenRef = useRef(hidden);
  useEffect(() => {
    hiddenRef.current = hidden;
  });

  /** Draws the copies pane `paneIndex` shows: all of them overlaid, or its own reader side by side. */
  const attachPane = useCallback(
    (paneIndex: number, viewportId: string, seriesUid: string, series: LoadedSeries): (() => void) | undefined => {
      if (!tools || !copies || !tools.labeling.canLabel(series)) return;
      const saved = copies.filter((c) => c.view.saved);
      const shown =
        arrangement === 'overlay'
          ? saved.map((copy, i) => ({ copy, outlineOnly: i > 0 }))
          : saved.slice(paneIndex, paneIndex + 1).map((copy) => ({ copy, outlineOnly: false }));
      const unscope = arrangement === 'side-by-side' ? tools.labeling.scopePane(viewportId, shown[0]?.copy.id ?? '') : undefined;
      for (const { copy, outlineOnly } of shown) {
        const content = copy.view.saved!;
        const schema = copy.view.schema.schema;
        tools.labeling.ensureLabelmap(seriesUid, series, schema.segments, decodeSeriesLayers(content.labelmaps, seriesUid), copy.id);
        tools.labeling.showLabelmap(viewportId, seriesUid, segmentsOf(copy, hiddenRef.current), { opacity: 0.4, activeValue: null, outlineOnly }, copy.id);
        const colorOf = (classId: string) => [...schema.boxes, ...schema.polygons].find((c) => c.id === classId)?.color;
        tools.labeling.restoreAnnotations(viewportId, seriesUid, content.content, colorOf, { owner: copy.id, locked: true });
      }
      panes.current.set(viewportId, { seriesUid, shown });
      return () => {
        panes.current.delete(viewportId);
        unscope?.();
        for (const { copy } of shown) tools.labeling.hideLabelmap(viewportId, seriesUid, copy.id);
      };
    },
    [tools, copies, arrangement],
  );

  // Showing and hiding readers restyles every pane.
  useEffect(() => {
    if (!tools || !copies) return;
    for (const [viewportId, { seriesUid, shown }] of panes.current) {
      for (const { copy, outlineOnly } of shown) tools.labeling.styleLabelmap(viewportId, seriesUid, segmentsOf(copy, hidden), { opacity: 0.4, activeValue: null, outlineOnly }, copy.id);
    }
    tools.labeling.setAnnotationsVisible(copies.filter((c) => !hidden.includes(c.id)).flatMap(drawingIds), copies.flatMap(drawingIds));
  }, [tools, copies, hidden]);

  useEffect(() => {
    if (!tools || !active) return;
    return () => tools.labeling.destroyLabeling();
  }, [tools, active]);

  return {
    enabled: active !== null,
    setup: active,
    copies,
    error,
    hidden,
    arrangement,
    /** Side by side needs two readers with saved labels. */
    canCompare: (copies?.filter((c) => c.view.saved).length ?? 0) >= 2,
    arrange: setArrangement,
    toggle: (id: string) => setHidden((h) => (h.includes(id) ? h.filter((x) => x !== id) : [...h, id])),
    attachPane,
  };
}

function segmentsOf(copy: ReaderCopy, hidden: readonly string[]) {
  return copy.view.schema.schema.segments.map((s) => ({ value: s.value, color: s.color, visible: !hidden.includes(copy.id) }));
}

/** The ids of a copy's regions and measurements (their Cornerstone annotation UIDs). */
function drawingIds(copy: ReaderCopy): string[] {
  const content = copy.view.saved?.content;
  return content ? [...content.regions, ...content.measurements].map((d) => d.id) : [];
}

export type Review = ReturnType<typeof useReview>;
