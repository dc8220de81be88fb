import type { Metadata } from 'next';
import Link from 'next/link';
import { orNotFound } from '@/app/_lib/or-not-found';
import { requirePageUser } from '@/app/_lib/page-guard';
import { AddStudiesForm } from '@/components/projects/AddStudiesForm';
import { ConsentPurposeSelect } from '@/components/projects/ConsentPurposeSelect';
import { ArchiveProjectButton } from '@/components/projects/ArchiveProjectButton';
import { MembersEditor } from '@/components/projects/MembersEditor';
import { PreannotationPanel } from '@/components/projects/PreannotationPanel';
import { ProgressBar } from '@/components/projects/ProgressBar';
import { RemoveStudyButton } from '@/components/projects/RemoveStudyButton';
import { SchemaSummary } from '@/components/projects/SchemaSummary';
import { SchemaVersionEditor } from '@/components/projects/SchemaVersionEditor';
import { SeriesRuleForm } from '@/components/projects/SeriesRuleForm';
import { Alert } from '@/components/ui/Alert';
import { Badge } from '@/components/ui/Badge';
import { ButtonLink } from '@/components/ui/Button';
import { Card } from '@/components/ui/Card';
import { PageHeader } from '@/components/ui/PageHeader';
import type { LabelSchema } from '@/lib/annotations/label-schema';
import { formatDicomDate, formatPersonName } from '@/lib/dicom/display.client';
import { usablePurposes } from '@/lib/consent/usable-purposes';
import { PURPOSE_OPTIONS, PURPOSE_TEXT } from '@/lib/consent/purposes';
import { modelChoices } from '@/lib/inference/model-choices';
import { findProjectJobs, projectSeriesLabels } from '@/lib/inference/start-preannotation';
import { getProject } from '@/lib/projects/get-project';
import { readerQueue } from '@/lib/projects/next-study';
import { describeSeriesRule } from '@/lib/projects/series-rule.client';
import { STUDY_STATUS_LABELS, studyStatusOf } from '@/lib/projects/study-status.client';
import { findUsers } from '@/lib/users/find-users';
import { addProjectStudiesAction, addSchemaVersionAction, archiveProjectAction, removeProjectStudyAction, setProjectMembersAction, setProjectSeriesRuleAction } from '../actions';

export const metadata: Metadata = { title: 'Project' };

const STATUS_TONES = { unassigned: 'neutral', in_progress: 'brand', submitted: 'warning', in_review: 'warning', changes_requested: 'danger', accepted: 'success' } as const;

export default async function ProjectPage({ params }: { params: Promise<{ projectId: string }> }) {
  const user = await requirePageUser({ area: 'projects' });
  const { projectId } = await params;
  const project = await orNotFound(getProject(user, projectId));
  const { roles, archived } = project.access;
  // An archived project is read-only: its page shows it, and the way back.
  const canManage = project.access.canManage && !archived;
  const radiologists = canManage ? (await findUsers({ role: 'radiologist', status: 'active' })).map(({ id, name, email }) => ({ id, name, email })) : [];
  const statuses = project.studies.map((s) => studyStatusOf(s.annotations, project.readersPerStudy));
  const accepted = statuses.filter((s) => s === 'accepted').length;
  const readers = project.members.filter((m) => m.role === 'reader');
  const reviewers = project.members.filter((m) => m.role === 'reviewer');
  const queue = roles.includes('reader') && !archived ? await readerQueue(user, project.id) : null;
  // Managers see what each study's consent allows: what a dataset of the project may include.
  const usable = project.access.canManage ? await usablePurposes(project.studies.map((s) => s.studyId)) : null;
  const preannotation = canManage ? await preannotationProps(user, project.id, project.modalities, project.schema.schema) : null;

  return (
    <>
      <PageHeader
        title={project.name}
        description={project.purpose || undefined}
        actions={
          <span className="flex items-center gap-2">
            {roles.map((r) => (
              <Badge key={r} tone="brand">
                {r}
              </Badge>
            ))}
            {queue?.next && <ButtonLink href={`/studies/${queue.next}/viewer?project=${project.id}`}>{queue.done ? 'Next study' : 'Start labeling'}</ButtonLink>}
            {project.access.canManage && <ArchiveProjectButton projectId={project.id} archived={archived} action={archiveProjectAction} />}
          </span>
        }
      />
      {project.archivedAt && (
        <div className="mb-4">
          <Alert tone="warning" title={`Archived on ${project.archivedAt.toISOString().slice(0, 10)}`}>
            Read-only: its readers and reviewers no longer see it, and its schema, studies, members and labels cannot change. Its labels stay available. Restore it to
            work on it again.
          </Alert>
        </div>
      )}
      <div className="grid gap-4 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <div className="mb-3 flex items-baseline justify-between">
            <h2 className="text-base font-semibold">Label schema</h2>
            <span className="text-xs text-slate-500">
              version {project.schema.version} of {project.schemaVersions} · <code title={project.schema.hash}>{project.schema.hash.slice(0, 12)}</code>
            </span>
          </div>
          <SchemaSummary schema={project.schema.schema} />
          {canManage && (
            <div className="mt-4">
              <SchemaVersionEditor projectId={project.id} schema={project.schema.schema} action={addSchemaVersionAction} />
            </div>
          )}
        </Card>
        <Card>
          <h2 className="mb-2 text-base font-semibold">Progress</h2>
          <ProgressBar done={accepted} total={project.studies.length} label={`${accepted} of ${project.studies.length} studies accepted`} />
          {queue && <ProgressBar className="mt-3" done={queue.done} total={queue.total} label={`You submitted ${queue.done} of ${queue.total} ${queue.total === 1 ? 'study' : 'studies'}${queue.next ? '' : ': nothing left for you'}`} />}
          <p className="mt-3 text-xs text-slate-500" data-testid="series-rule">
            {describeSeriesRule(project.seriesRule)} · {project.readersPerStudy} {project.readersPerStudy === 1 ? 'reader' : 'independent readers'} per study
          </p>
          {(canManage || roles.includes('reviewer')) && (
            <Link href={`/projects/${project.id}/agreement`} className="mt-3 block text-sm text-brand-700 hover:underline dark:text-brand-500">
              Agreement between readers →
            </Link>
          )}
          <h3 className="mt-4 text-xs font-semibold uppercase tracking-wide text-slate-500">Readers</h3>
          <p className="text-sm" data-testid="project-readers">{readers.map((m) => m.name).join(', ') || 'None yet'}</p>
          <h3 className="mt-2 text-xs font-semibold uppercase tracking-wide text-slate-500">Reviewers</h3>
          <p className="text-sm" data-testid="project-reviewers">{reviewers.map((m) => m.name).join(', ') || 'None yet'}</p>
        </Card>
      </div>

      <Card className="mt-4">
        <h2 className="mb-3 text-base font-semibold">Studies</h2>
        {project.access.canManage && (
          <div className="mb-3">
            <ConsentPurposeSelect
              projectId={project.id}
              value={project.consentPurpose}
              purposes={PURPOSE_OPTIONS}
              disabled={archived}
            />
          </div>
        )}
        {canManage && (
          <div className="mb-4 space-y-4">
            <SeriesRuleForm projectId={project.id} value={project.seriesRule} action={setProjectSeriesRuleAction} />
            <AddStudiesForm projectId={project.id} action={addProjectStudiesAction} />
          </div>
        )}
        {project.studies.length === 0 ? (
          <p className="rounded-lg border border-dashed border-slate-300 p-6 text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400">
            {canManage ? 'No studies yet: add them with a worklist query above.' : 'No studies in this project yet.'}
          </p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm" aria-label="Project studies">
              <thead className="text-xs uppercase text-slate-500">
                <tr>
                  <th className="py-2 pr-3">Date</th>
                  {roles.length > 0 && <th className="py-2 pr-3">Patient</th>}
                  <th className="py-2 pr-3">Description</th>
                  <th className="py-2 pr-3">Modalities</th>
                  <th className="py-2 pr-3">Images</th>
                  <th className="py-2 pr-3">Series to label</th>
                  <th className="py-2 pr-3">Status</th>
                  <th className="py-2 pr-3">Readers</th>
                  {usable && <th className="py-2 pr-3">Consent allows</th>}
                  <th className="py-2" />
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
                {project.studies.map((s, i) => (
                  <tr key={s.studyId}>
                    <td className="py-2 pr-3 whitespace-nowrap">{formatDicomDate(s.studyDate)}</td>
                    {roles.length > 0 && <td className="py-2 pr-3">{formatPersonName(s.patientName ?? '') || 'Unnamed'}</td>}
                    <td className="py-2 pr-3">
                      <Link href={`/projects/${project.id}/studies/${s.studyId}`} className="text-brand-700 hover:underline dark:text-brand-500">
                        {s.description || 'Study without description'}
                      </Link>
                    </td>
                    <td className="py-2 pr-3">{s.modalities.join(', ')}</td>
                    <td className="py-2 pr-3">{s.instanceCount}</td>
                    <td className="py-2 pr-3 whitespace-nowrap" data-testid="study-series-to-label">
                      {s.seriesToLabel ? `${s.seriesToLabel} of ${s.imageSeriesCount}` : <span className="text-amber-700 dark:text-amber-400">none of {s.imageSeriesCount}</span>}
                    </td>
                    <td className="py-2 pr-3">
                      <Badge tone={STATUS_TONES[statuses[i]!]}>{STUDY_STATUS_LABELS[statuses[i]!]}</Badge>
                    </td>
                    <td className="py-2 pr-3 text-xs text-slate-500">{s.annotations.map((a) => `${a.readerName}: ${a.status.replace('_', ' ')}`).join(' · ') || '—'}</td>
                    {usable && (
                      <td className="py-2 pr-3 text-xs" data-testid="study-consent">
                        {usable.get(s.studyId)?.map((p) => PURPOSE_TEXT[p].label).join(', ') || <span className="text-slate-500">nothing yet</span>}
                      </td>
                    )}
                    <td className="py-2 text-right whitespace-nowrap">
                      {roles.length > 0 && !archived && (
                        <Link href={`/studies/${s.studyId}/viewer?project=${project.id}`} className="mr-3 text-xs text-brand-700 hover:underline dark:text-brand-500">
                          Open
                        </Link>
                      )}
                      {canManage && <RemoveStudyButton projectId={project.id} studyId={s.studyId} action={removeProjectStudyAction} />}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>

      {preannotation && (
        <Card className="mt-4">
          <h2 className="mb-3 text-base font-semibold">AI pre-annotation</h2>
          <PreannotationPanel projectId={project.id} attached={project.modelName} archived={project.archivedAt !== null} {...preannotation} />
        </Card>
      )}

      {canManage && (
        <Card className="mt-4">
          <h2 className="mb-3 text-base font-semibold">Members</h2>
          <MembersEditor
            projectId={project.id}
            radiologists={radiologists}
            initial={{ readers: readers.map((m) => m.userId), reviewers: reviewers.map((m) => m.userId) }}
            action={setProjectMembersAction}
          />
        </Card>
      )}
    </>
  );
}

/** Models that can run on the project's modalities (any, when it names none) and schema, its jobs, and how to name its series. */
async function preannotationProps(user: Parameters<typeof findProjectJobs>[0], projectId: string, modalities: string[], schema: LabelSchema) {
  const [models, initialJobs, seriesLabels] = await Promise.all([modelChoices(modalities, schema), findProjectJobs(user, projectId, 50), projectSeriesLabels(projectId)]);
  return { models, initialJobs, seriesLabels };
}
