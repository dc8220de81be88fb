'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { decodeLabelmapRle } from '@/lib/annotations/labelmap-rle.client';
import type { LoadedSeries } from '../load-series';
import type { ViewerTools } from '../viewer-tools';
import { base64ToBytes } from './base64.client';
import type { AnnotationView, LabelingSetup } from './labeling-setup';

export type ReaderCopy = { id: string; readerName: string; status: string; version: number; view: AnnotationView };

/**
 * A reviewer's view in the viewer: every reader's saved labels of the study, overlaid read-only on
 * the images (the first reader filled, the others as outlines), each one shown or hidden at will.
 */
export function useReview(setup: LabelingSetup | null, tools: ViewerTools | null) {
  const active = setup?.mode === 'review' ? setup : null;
  const [copies, setCopies] = useState<ReaderCopy[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [hidden, setHidden] = useState<string[]>([]);
  const panes = useRef(new Map<string, string>());

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

  const attachPane = useCallback(
    (viewportId: string, seriesUid: string, series: LoadedSeries): (() => void) | undefined => {
      if (!tools || !copies || !tools.labeling.canLabel(series)) return;
      const shown: string[] = [];
      copies.forEach((copy, i) => {
        const saved = copy.view.saved;
        if (!saved) return;
        const schema = copy.view.schema.schema;
        const labelmap = saved.labelmaps.find((l) => l.seriesInstanceUid === seriesUid);
        const voxels = labelmap ? decodeLabelmapRle(base64ToBytes(labelmap.rle), labelmap.columns * labelmap.rows * labelmap.slices) : undefined;
        tools.labeling.ensureLabelmap(seriesUid, series, schema.segments, voxels, copy.id);
        const segments = schema.segments.map((s) => ({ value: s.value, color: s.color, visible: !hiddenRef.current.includes(copy.id) }));
        tools.labeling.showLabelmap(viewportId, seriesUid, segments, { opacity: 0.4, activeValue: null, outlineOnly: i > 0 }, copy.id);
        const colorOf = (classId: string) => [...schema.boxes, ...schema.polygons].find((c) => c.id === classId)?.color;
        tools.labeling.restoreAnnotations(viewportId, seriesUid, saved.content, colorOf, { owner: copy.id, locked: true });
        shown.push(copy.id);
      });
      panes.current.set(viewportId, seriesUid);
      return () => {
        panes.current.delete(viewportId);
        for (const owner of shown) tools.labeling.hideLabelmap(viewportId, seriesUid, owner);
      };
    },
    [tools, copies],
  );

  // Showing and hiding readers restyles every pane.
  useEffect(() => {
    if (!tools || !copies) return;
    for (const [viewportId, seriesUid] of panes.current) {
      copies.forEach((copy, i) => {
        const segments = copy.view.schema.schema.segments.map((s) => ({ value: s.value, color: s.color, visible: !hidden.includes(copy.id) }));
        tools.labeling.styleLabelmap(viewportId, seriesUid, segments, { opacity: 0.4, activeValue: null, outlineOnly: i > 0 }, copy.id);
      });
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
    toggle: (id: string) => setHidden((h) => (h.includes(id) ? h.filter((x) => x !== id) : [...h, id])),
    attachPane,
  };
}

/** The ids of a copy's regions and measurements (their Cornerstone annotation UIDs). */
function drawingIds(copy: ReaderCopy): string[] {
  const content = copy.view.saved?.content;
  return content ? [...content.regions, ...content.measurements].map((d) => d.id) : [];
}

export type Review = ReturnType<typeof useReview>;
