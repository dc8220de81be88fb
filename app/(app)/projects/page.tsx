import type { Metadata } from 'next';
import Link from 'next/link';
import { requirePageUser } from '@/app/_lib/page-guard';
import { ProgressBar } from '@/components/projects/ProgressBar';
import { Badge } from '@/components/ui/Badge';
import { ButtonLink } from '@/components/ui/Button';
import { EmptyState } from '@/components/ui/EmptyState';
import { icons } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/PageHeader';
import { describeSeriesRule } from '@/lib/projects/series-rule.client';
import { findProjects } from '@/lib/projects/find-projects';
import { managesProjects } from '@/lib/projects/project-access';

export const metadata: Metadata = { title: 'Projects' };

export default async function ProjectsPage({ searchParams }: { searchParams: Promise<{ archived?: string }> }) {
  const user = await requirePageUser({ area: 'projects' });
  const canCreate = managesProjects(user);
  // Managers alone see archived projects (members lose sight of them).
  const archived = canCreate && (await searchParams).archived === '1';
  const projects = await findProjects(user, { archived });
  return (
    <>
      <PageHeader
        title="Projects"
        description="Labeling projects: the studies, the label schema, readers, reviewers and progress."
        actions={
          canCreate ? (
            <span className="flex items-center gap-3">
              <Link href={archived ? '/projects' : '/projects?archived=1'} className="text-sm text-brand-700 hover:underline dark:text-brand-500">
                {archived ? '← Active projects' : 'Archived projects'}
              </Link>
              <ButtonLink href="/projects/new">New project</ButtonLink>
            </span>
          ) : undefined
        }
      />
      {archived && projects.length === 0 ? (
        <EmptyState icon={icons.projects(40)} title="No archived projects">
          <p>Archive a project from its page once its labeling is done: it leaves its members&apos; lists and becomes read-only, and nothing is deleted.</p>
        </EmptyState>
      ) : projects.length === 0 ? (
        <EmptyState
          icon={icons.projects(40)}
          title="No labeling projects yet"
          action={canCreate ? <ButtonLink href="/projects/new">Create the first project</ButtonLink> : undefined}
        >
          {canCreate ? (
            <p>
              A project names the studies to label, a versioned label schema (segmentation classes, boxes and polygons,
              classification questions), its readers and reviewers, and how many readers each study gets.
            </p>
          ) : (
            <p>You see the projects you read or review in. An ML engineer adds you to one; ask yours.</p>
          )}
        </EmptyState>
      ) : (
        <ul className="grid gap-4 md:grid-cols-2" aria-label="Projects">
          {projects.map((p) => (
            <li key={p.id} className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-800 dark:bg-slate-900">
              <div className="flex items-start justify-between gap-3">
                <Link href={`/projects/${p.id}`} className="text-base font-semibold text-brand-700 hover:underline dark:text-brand-500">
                  {p.name}
                </Link>
                <span className="flex gap-1">
                  {p.archivedAt && <Badge tone="warning">archived {p.archivedAt.toISOString().slice(0, 10)}</Badge>}
                  {p.myRoles.map((r) => (
                    <Badge key={r} tone="brand">
                      {r}
                    </Badge>
                  ))}
                </span>
              </div>
              {p.purpose && <p className="mt-1 line-clamp-2 text-sm text-slate-600 dark:text-slate-400">{p.purpose}</p>}
              <p className="mt-3 text-xs text-slate-500">
                {p.studies} {p.studies === 1 ? 'study' : 'studies'} · {describeSeriesRule(p.seriesRule)} · {p.readersPerStudy}{' '}
                {p.readersPerStudy === 1 ? 'reader' : 'readers'} per study · {p.readers} readers, {p.reviewers} reviewers
              </p>
              <ProgressBar className="mt-3" done={p.accepted} total={p.studies} label={`${p.accepted} of ${p.studies} studies accepted`} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
