import type { Metadata } from 'next';
import { formatPercent } from '@/lib/format/format-percent.client';
import Link from 'next/link';
import { orNotFound } from '@/app/_lib/or-not-found';
import { requirePageUser } from '@/app/_lib/page-guard';
import { CommentForm } from '@/components/projects/CommentForm';
import { ReviewActions } from '@/components/projects/ReviewActions';
import { StudySeriesList } from '@/components/projects/StudySeriesList';
import { Badge } from '@/components/ui/Badge';
import { ButtonLink } from '@/components/ui/Button';
import { Card } from '@/components/ui/Card';
import { PageHeader } from '@/components/ui/PageHeader';
import { hasRole } from '@/lib/auth/session-user';
import { formatDicomDate, formatPersonName } from '@/lib/dicom/display.client';
import { DICOMWEB_READ } from '@/lib/dicomweb/dicomweb-access';
import { getProjectStudy } from '@/lib/projects/get-project-study';
import { addCommentAction, reviewAction, setSeriesChoiceAction, startReviewAction } from '../../../actions';

export const metadata: Metadata = { title: 'Study in project' };


export default async function ProjectStudyPage({ params }: { params: Promise<{ projectId: string; studyId: string }> }) {
  const user = await requirePageUser({ area: 'projects' });
  const { projectId, studyId } = await params;
  const view = await orNotFound(getProjectStudy(user, projectId, studyId));
  const { access, schema, study } = view;
  const isReader = access.roles.includes('reader');
  const isReviewer = access.roles.includes('reviewer');
  const segmentName = new Map(schema.segments.map((s) => [String(s.value), s]));
  const choiceLabel = (questionId: string, ids: string[]) => {
    const q = schema.questions.find((x) => x.id === questionId);
    return ids.map((id) => q?.choices.find((c) => c.id === id)?.label ?? id).join(', ');
  };

  return (
    <>
      <PageHeader
        title={study.description || 'Study without description'}
        description={
          <>
            <Link href={`/projects/${projectId}`} className="text-brand-700 hover:underline dark:text-brand-500">
              {view.project.name}
            </Link>{' '}
            · {formatDicomDate(study.studyDate)} · {study.modalities.join(', ')}
            {study.patientName !== null && ` · ${formatPersonName(study.patientName) || 'Unnamed'}`}
          </>
        }
        actions={
          <span className="flex gap-2">
            {isReviewer && (
              <ButtonLink variant="secondary" href={`/studies/${studyId}/viewer?project=${projectId}&review=1`}>
                Review in the viewer
              </ButtonLink>
            )}
            {isReader && <ButtonLink href={`/studies/${studyId}/viewer?project=${projectId}`}>Label in the viewer</ButtonLink>}
          </span>
        }
      />
      <div className="grid gap-4 lg:grid-cols-3">
        <div className="space-y-4 lg:col-span-2">
          <Card>
            <h2 className="mb-3 text-base font-semibold">{isReviewer || access.canManage ? 'Readers’ labels' : 'Your labels'}</h2>
            {view.copies.length === 0 ? (
              <p className="text-sm text-slate-500">
                No saved labels yet{view.started ? ` (${view.started} reader${view.started === 1 ? '' : 's'} started)` : ''}. A study takes {view.project.readersPerStudy}{' '}
                {view.project.readersPerStudy === 1 ? 'reader' : 'independent readers'}.
              </p>
            ) : (
              <ul className="divide-y divide-slate-100 dark:divide-slate-800" aria-label="Reader labels">
                {view.copies.map((c) => (
                  <li key={c.annotationId} className="py-3" data-testid="reader-copy">
                    <div className="flex items-center justify-between gap-2">
                      <span className="font-medium">{c.readerName}</span>
                      <span className="flex items-center gap-2 text-xs text-slate-500">
                        version {c.version} <Badge tone={c.status === 'accepted' ? 'success' : c.status === 'changes_requested' ? 'danger' : 'neutral'}>{c.status.replace('_', ' ')}</Badge>
                      </span>
                    </div>
                    <p className="mt-1 flex flex-wrap gap-3 text-sm text-slate-600 dark:text-slate-400">
                      {Object.entries(c.voxels).map(([value, n]) => (
                        <span key={value} className="flex items-center gap-1">
                          <span className="h-3 w-3 rounded-sm" style={{ background: segmentName.get(value)?.color }} aria-hidden />
                          {segmentName.get(value)?.name ?? value}: {n.toLocaleString('en')} voxels
                        </span>
                      ))}
                      <span>{c.regions} regions</span>
                      <span>{c.measurements} measurements</span>
                    </p>
                    {c.answers.length > 0 && (
                      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
                        {c.answers.map((a) => `${schema.questions.find((q) => q.id === a.questionId)?.question ?? a.questionId}: ${choiceLabel(a.questionId, a.choiceIds)}`).join(' · ')}
                      </p>
                    )}
                    {isReviewer && c.readerId !== user.id && ['submitted', 'in_review'].includes(c.status) && (
                      <div className="mt-2">
                        <ReviewActions ids={{ annotationId: c.annotationId, projectId, studyId }} status={c.status} readerName={c.readerName} startAction={startReviewAction} reviewAction={reviewAction} />
                      </div>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </Card>
          <Card>
            <h2 className="mb-1 text-base font-semibold">Series</h2>
            <p className="mb-2 text-sm text-slate-500">
              The project labels the series its rule matches;{' '}
              {!access.canManage ? 'its managers can add or leave out one series of a study.' : access.archived ? 'restore the project to add or leave out a series.' : 'add or leave out one series of this study here.'}
            </p>
            <StudySeriesList projectId={projectId} studyId={studyId} studyInstanceUid={study.studyInstanceUid} series={view.series} thumbnails={hasRole(user, ...(DICOMWEB_READ.roles ?? []))} action={access.canManage && !access.archived ? setSeriesChoiceAction : null} />
          </Card>
          {view.agreement && (
            <Card>
              <h2 className="mb-3 text-base font-semibold">Agreement</h2>
              <table className="w-full text-left text-sm" aria-label="Segment agreement">
                <thead className="text-xs text-slate-500 uppercase">
                  <tr>
                    <th className="py-1 pr-3">Segment</th>
                    <th className="py-1 pr-3">Readers</th>
                    <th className="py-1 pr-3">Dice</th>
                    <th className="py-1">IoU</th>
                  </tr>
                </thead>
                <tbody>
                  {view.agreement.segments.map((p, i) => (
                    <tr key={i} className="border-t border-slate-100 dark:border-slate-800">
                      <td className="py-1 pr-3">{p.segmentName}</td>
                      <td className="py-1 pr-3">
                        {p.readerA} vs {p.readerB}
                        {p.againstAccepted ? ' (accepted)' : ''}
                      </td>
                      <td className="py-1 pr-3" data-testid="dice">{formatPercent(p.dice)}</td>
                      <td className="py-1">{formatPercent(p.iou)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {view.agreement.answers.length > 0 && (
                <ul className="mt-3 space-y-1 text-sm">
                  {view.agreement.answers.map((a, i) => (
                    <li key={i}>
                      {schema.questions.find((q) => q.id === a.questionId)?.question}: {a.agree ? 'readers agree' : 'readers differ'} ({a.answers.map((x) => `${x.reader}: ${choiceLabel(a.questionId, x.choices.split('+'))}`).join('; ')})
                    </li>
                  ))}
                </ul>
              )}
            </Card>
          )}
        </div>
        <Card>
          <h2 className="mb-3 text-base font-semibold">Comments</h2>
          {view.comments.length === 0 ? (
            <p className="mb-3 text-sm text-slate-500">No comments yet.</p>
          ) : (
            <ol className="mb-3 space-y-3" aria-label="Comments">
              {view.comments.map((c) => (
                <li key={c.id} className="text-sm">
                  <p className="text-xs text-slate-500">
                    {c.author} · {new Date(c.createdAt).toLocaleString('en-GB')}
                  </p>
                  <p className="whitespace-pre-wrap">{c.body}</p>
                </li>
              ))}
            </ol>
          )}
          {access.roles.length > 0 && <CommentForm projectId={projectId} studyId={studyId} action={addCommentAction} />}
        </Card>
      </div>
    </>
  );
}
