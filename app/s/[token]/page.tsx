import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { notFound } from 'next/navigation';
import { ViewerPreloads } from '@/app/_lib/viewer-preloads';
import { toViewerStudy } from '@/app/_lib/to-viewer-study';
import { ViewerLoader } from '@/components/viewer/ViewerLoader';
import { getStudy } from '@/lib/dicom/get-study';
import { isAppError } from '@/lib/errors/app-error';
import { clientAddress } from '@/lib/http/client-address';
import { openShareLink } from '@/lib/share-links/open-share-link';

export const metadata: Metadata = { title: 'Shared imaging study' };

/**
 * A study a patient shared, for whoever holds the link: the read-only viewer (its DICOMweb through
 * the link) and a download, until the link expires or the patient withdraws it. No sign-in.
 */
export default async function SharedStudyPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  let link;
  try {
    link = await openShareLink({ token, address: clientAddress(await headers()), how: 'view' });
  } catch (err) {
    if (isAppError(err, 'NOT_FOUND')) notFound();
    if (isAppError(err, 'TOO_MANY_REQUESTS')) {
      return (
        <main className="mx-auto flex h-full max-w-md flex-col justify-center gap-3 p-6" role="alert">
          <h1 className="text-lg font-semibold">Too many visits right now</h1>
          <p className="text-sm text-slate-300">{err.message}</p>
        </main>
      );
    }
    throw err;
  }
  const study = await getStudy(link.studyId, {});
  const viewerStudy = { ...toViewerStudy(study), dicomwebRoot: `/s/${token}/dicomweb` };
  return (
    <div className="flex h-full flex-col">
      <ViewerPreloads study={viewerStudy} />
      <header className="flex flex-wrap items-center gap-x-3 gap-y-1 border-b border-slate-800 px-3 py-1.5 text-sm text-slate-300">
        <h1 className="truncate font-medium text-slate-100">
          Shared with you · {study.description || 'Imaging study'} · {viewerStudy.date || 'undated'}
        </h1>
        <span className="text-xs text-slate-400" data-testid="share-expires">
          Link works until {link.expiresAt.toLocaleString('en-GB', { timeZone: 'UTC', dateStyle: 'medium', timeStyle: 'short' })} UTC
        </span>
        <span className="ml-auto flex shrink-0 gap-1">
          <a href={`/s/${token}/download`} className="rounded px-2 py-1 hover:bg-slate-800" download>
            Download (DICOM)
          </a>
          <a href={`/s/${token}/pictures`} className="rounded px-2 py-1 hover:bg-slate-800" download>
            Pictures (PNG)
          </a>
        </span>
      </header>
      <div className="min-h-0 flex-1">
        <ViewerLoader study={viewerStudy} labeling={null} />
      </div>
    </div>
  );
}
