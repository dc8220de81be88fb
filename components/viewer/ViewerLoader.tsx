'use client';

import dynamic from 'next/dynamic';
import type { ViewerStudy } from './viewer-study';

// Cornerstone3D touches window, WebGL and workers at import: never on the server.
const StudyViewer = dynamic(() => import('./StudyViewer'), {
  ssr: false,
  loading: () => <p className="p-6 text-sm text-slate-400">Starting the viewer…</p>,
});

export function ViewerLoader({ study }: { study: ViewerStudy }) {
  return <StudyViewer study={study} />;
}
