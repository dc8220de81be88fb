import type { Metadata } from 'next';
import { headers } from 'next/headers';
import Link from 'next/link';
import { orNotFound } from '@/app/_lib/or-not-found';
import { requirePageUser } from '@/app/_lib/page-guard';
import { ViewerLoader } from '@/components/viewer/ViewerLoader';
import { getStudy } from '@/lib/dicom/get-study';
import { clientAddress } from '@/lib/http/client-address';
import { requireMyStudy } from '@/lib/patients/require-my-study';
import { ViewerPreloads } from '@/app/_lib/viewer-preloads';
import { toViewerStudy } from '@/app/_lib/to-viewer-study';

export const metadata: Metadata = { title: 'My images' };

/**
 * A patient's own study in the viewer, read-only: viewing tools only, no project's labels, nobody
 * else's study (theirs is the only one this page and DICOMweb will open for them).
 */
export default async function MyStudyViewerPage({ params }: { params: Promise<{ studyId: string }> }) {
  const user = await requirePageUser({ area: 'me' });
  const { studyId } = await params;
  // Someone else's study (or none) is a 404, and the attempt goes to the access log.
  await orNotFound(requireMyStudy({ userId: user.id, studyId, how: 'view', address: clientAddress(await headers()), select: { id: true } }));
  const study = await getStudy(studyId, { patient: { link: { userId: user.id } } });
  const viewerStudy = toViewerStudy(study);
  return (
    <div className="flex h-full flex-col">
      <ViewerPreloads study={viewerStudy} />
      <header className="flex items-center gap-3 border-b border-slate-800 px-3 py-1.5 text-sm text-slate-300">
        <Link href="/me" prefetch={false} className="shrink-0 rounded px-2 py-1 hover:bg-slate-800">
          ← My studies
        </Link>
        <h1 className="truncate font-medium text-slate-100">
          {study.description || 'Imaging study'} · {viewerStudy.date || 'undated'}
        </h1>
        <a href={`/api/me/studies/${study.id}/download`} className="ml-auto shrink-0 rounded px-2 py-1 hover:bg-slate-800" download>
          Download
        </a>
      </header>
      <div className="min-h-0 flex-1">
        <ViewerLoader study={viewerStudy} labeling={null} />
      </div>
    </div>
  );
}
