import type { Metadata } from 'next';
import Link from 'next/link';
import { orNotFound } from '@/app/_lib/or-not-found';
import { requirePageUser } from '@/app/_lib/page-guard';
import { ViewerLoader } from '@/components/viewer/ViewerLoader';
import { getStudy } from '@/lib/dicom/get-study';
import { isAppError } from '@/lib/errors/app-error';
import { getLabelingContext } from '@/lib/projects/get-labeling-context';
import { visibleStudiesWhere } from '@/lib/projects/study-access';
import { ViewerPreloads } from '@/app/_lib/viewer-preloads';
import { toViewerStudy } from '@/app/_lib/to-viewer-study';

export const metadata: Metadata = { title: 'Viewer' };

export default async function ViewerPage({ params, searchParams }: { params: Promise<{ studyId: string }>; searchParams: Promise<{ project?: string; review?: string }> }) {
  const user = await requirePageUser({ area: 'studies' });
  const { studyId } = await params;
  const study = await orNotFound(getStudy(studyId, visibleStudiesWhere(user)));
  const { project, review } = await searchParams;
  // An archived project's labels are read-only: the study opens for viewing, and says why.
  const { labeling, refused } =
    typeof project === 'string'
      ? await getLabelingContext(user, project, study.id, review === '1' ? 'review' : 'label').then(
          (context) => ({ labeling: context, refused: null }),
          (err: unknown) => {
            if (isAppError(err, 'CONFLICT')) return { labeling: null, refused: err.message };
            throw err;
          },
        )
      : { labeling: null, refused: null };
  const viewerStudy = toViewerStudy(study);
  return (
    <div className="flex h-full flex-col">
      <ViewerPreloads study={viewerStudy} seriesSelection={labeling?.seriesSelection} />
      <header className="flex items-center gap-3 border-b border-slate-800 px-3 py-1.5 text-sm text-slate-300">
        <Link href={labeling ? `/projects/${labeling.projectId}` : `/studies/${study.id}`} prefetch={false} className="rounded px-2 py-1 hover:bg-slate-800">
          {labeling ? `← ${labeling.projectName}` : '← Study'}
        </Link>
        <h1 className="truncate font-medium text-slate-100">
          {viewerStudy.patient} · {study.description || 'Study without description'} · {viewerStudy.date}
        </h1>
        {refused && (
          <p role="status" className="ml-auto rounded bg-amber-900/60 px-2 py-0.5 text-xs text-amber-100">
            {refused}
          </p>
        )}
      </header>
      <div className="min-h-0 flex-1">
        <ViewerLoader study={viewerStudy} labeling={labeling ? { ...labeling, studyId: study.id } : null} />
      </div>
    </div>
  );
}
