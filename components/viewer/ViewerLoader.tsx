'use client';

import dynamic from 'next/dynamic';
import { useEffect } from 'react';
import { setDicomwebRoot } from './dicomweb-root';
import { fetchSeriesMetadata } from './series-metadata';
import type { LabelingSetup } from './labeling/labeling-setup';
import { initialSeries, type ViewerStudy } from './viewer-study';

// Cornerstone3D touches window, WebGL and workers at import: never on the server. In the browser its
// chunks start downloading as soon as this module runs, not when React first renders the viewer.
const loadViewer = () => import('./StudyViewer');
const viewerModule = typeof window === 'undefined' ? null : loadViewer();
const StudyViewer = dynamic(() => viewerModule ?? loadViewer(), {
  ssr: false,
  loading: () => <p className="p-6 text-sm text-slate-400">Starting the viewer…</p>,
});

export function ViewerLoader({ study, labeling }: { study: ViewerStudy; labeling: LabelingSetup | null }) {
  // Before anything fetches: idempotent, so setting it while rendering is safe.
  setDicomwebRoot(study.dicomwebRoot ?? '/dicomweb');
  // The first series' metadata downloads while Cornerstone does (both come before the first image).
  useEffect(() => {
    const first = initialSeries(study, labeling?.seriesSelection)[0];
    if (first) fetchSeriesMetadata(study.studyInstanceUid, first).catch(() => undefined);
  }, [study, labeling?.seriesSelection]);
  return <StudyViewer study={study} labeling={labeling} />;
}
