import 'server-only';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { initialSeries, type ViewerStudy } from '@/components/viewer/viewer-study';
import type { SeriesSelection } from '@/lib/projects/series-rule.client';

type LoadableManifest = Record<string, { files: string[] }>;
let manifest: LoadableManifest | undefined;

/**
 * Starts the two downloads the viewer's first image waits for as soon as the browser reads the page,
 * while it is still loading React: Cornerstone's chunks (otherwise requested only once the viewer's
 * loader runs) and the first series' metadata (otherwise only once the page has hydrated).
 * Links in the HTML, not ReactDOM.preload(): a page that awaits data before rendering sends those
 * hints only in its RSC payload, which the browser reads last.
 */
export function ViewerPreloads({ study, seriesSelection = null }: { study: ViewerStudy; seriesSelection?: SeriesSelection | null }) {
  manifest ??= readLoadableManifest();
  // The build's name for the viewer's import().
  const chunks = (manifest['components/viewer/ViewerLoader.tsx -> ./StudyViewer']?.files ?? []).filter((file) => file.endsWith('.js'));
  const first = initialSeries(study, seriesSelection)[0];
  return (
    <>
      {chunks.map((file) => (
        <link key={file} rel="preload" as="script" href={`/_next/${file}`} fetchPriority="high" />
      ))}
      {first && (
        // Same URL and credentials mode as series-metadata.ts's fetch, so the browser hands it this response.
        <link rel="preload" as="fetch" crossOrigin="anonymous" href={`${study.dicomwebRoot ?? '/dicomweb'}/studies/${study.studyInstanceUid}/series/${first}/metadata`} />
      )}
    </>
  );
}

function readLoadableManifest(): LoadableManifest {
  // `next dev` builds elsewhere; a production build's manifest left in .next would name chunks it does not serve.
  if (process.env.NODE_ENV !== 'production') return {};
  try {
    return JSON.parse(readFileSync(path.join(process.cwd(), '.next', 'react-loadable-manifest.json'), 'utf8')) as LoadableManifest;
  } catch {
    return {};
  }
}
