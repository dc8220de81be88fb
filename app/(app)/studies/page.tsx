import type { Metadata } from 'next';
import Link from 'next/link';
import { requirePageUser } from '@/app/_lib/page-guard';
import { StudyTable } from '@/components/studies/StudyTable';
import { Button, ButtonLink } from '@/components/ui/Button';
import { EmptyState } from '@/components/ui/EmptyState';
import { icons } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/PageHeader';
import { inputClass } from '@/components/ui/TextField';
import { hasRole } from '@/lib/auth/session-user';
import { labelProgress } from '@/lib/annotations/label-progress';
import { PURPOSE_TEXT } from '@/lib/consent/purposes';
import { usablePurposes } from '@/lib/consent/usable-purposes';
import { findStudies } from '@/lib/dicom/find-studies';
import { ZStudyQuery, type StudyQuery } from '@/lib/dicom/schemas';
import { visibleStudiesWhere } from '@/lib/projects/study-access';

export const metadata: Metadata = { title: 'Studies' };

export default async function StudiesPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const user = await requirePageUser({ area: 'studies' });
  const raw = await searchParams;
  const parsed = ZStudyQuery.safeParse(Object.fromEntries(Object.entries(raw).filter(([, v]) => v)));
  const query: StudyQuery = parsed.success ? parsed.data : ZStudyQuery.parse({});
  const { rows, total, page, pageSize } = await findStudies(query, visibleStudiesWhere(user));
  const ids = rows.map((r) => r.id);
  const [labels, consent] = await Promise.all([labelProgress(ids), usablePurposes(ids)]);
  const status = Object.fromEntries(ids.map((id) => [id, { labels: labels.get(id) ?? {}, consent: (consent.get(id) ?? []).map((p) => PURPOSE_TEXT[p].label) }]));
  const filtered = Boolean(query.q || query.modality || query.from || query.to);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const isAdmin = hasRole(user, 'admin');

  const href = (change: Partial<Record<keyof StudyQuery, string | number | undefined>>) => {
    const next = { ...raw, ...Object.fromEntries(Object.entries(change).map(([k, v]) => [k, v === undefined ? undefined : String(v)])) };
    const params = new URLSearchParams(Object.entries(next).filter((e): e is [string, string] => Boolean(e[1])));
    return `/studies${params.size ? `?${params}` : ''}`;
  };
  const sortHeader = (column: StudyQuery['sort'], label: string) => {
    const active = query.sort === column;
    const order = active && query.order === 'desc' ? 'asc' : 'desc';
    return (
      <Link href={href({ sort: column, order, page: undefined })} className="hover:text-slate-900 dark:hover:text-slate-100" aria-sort={active ? (query.order === 'asc' ? 'ascending' : 'descending') : undefined}>
        {label}
        {active ? (query.order === 'asc' ? ' ↑' : ' ↓') : ''}
      </Link>
    );
  };

  return (
    <>
      <PageHeader
        title="Studies"
        description={
          isAdmin
            ? 'Every study Cohort holds: search by patient, accession or description, filter by modality and date, and open one to see its series.'
            : 'The studies of your projects: search by patient, accession or description, filter by modality and date, and open one to read it.'
        }
        actions={isAdmin ? <ButtonLink href="/studies/upload">Upload DICOM</ButtonLink> : undefined}
      />
      {total === 0 && !filtered ? (
        <EmptyState
          icon={icons.studies(40)}
          title="No studies yet"
          action={isAdmin ? <ButtonLink href="/studies/upload">Upload DICOM files, folders or zip archives</ButtonLink> : undefined}
        >
          <p>Studies arrive by upload here, by DICOMweb STOW-RS to <code className="font-mono text-xs">/dicomweb/studies</code>, or from a shell:</p>
          <p>
            <code className="font-mono text-xs">npm run cohort -- ingest /path/to/folder-or-archive.zip</code>
          </p>
          {!isAdmin && <p>You see the studies of the projects you read or review in; an ML engineer adds you to one under Projects.</p>}
        </EmptyState>
      ) : (
        <>
          <form className="mb-3 flex flex-wrap items-end gap-2" role="search">
            <input name="q" defaultValue={query.q ?? ''} placeholder="Patient, ID, accession, description" aria-label="Search" className={`${inputClass} w-72`} />
            <input name="modality" defaultValue={query.modality ?? ''} placeholder="Modality (CT, MR…)" aria-label="Modality" className={`${inputClass} w-40`} />
            <label className="text-xs text-slate-500">
              From
              <input type="date" name="from" defaultValue={query.from ?? ''} className={`${inputClass} mt-1 w-auto`} />
            </label>
            <label className="text-xs text-slate-500">
              To
              <input type="date" name="to" defaultValue={query.to ?? ''} className={`${inputClass} mt-1 w-auto`} />
            </label>
            <input type="hidden" name="sort" value={query.sort} />
            <input type="hidden" name="order" value={query.order} />
            <Button type="submit" variant="secondary">
              Search
            </Button>
            {filtered && (
              <Link href="/studies" className="px-2 py-2 text-sm text-brand-700 hover:underline dark:text-brand-500">
                Clear
              </Link>
            )}
          </form>
          {rows.length === 0 ? (
            <p className="rounded-lg border border-dashed border-slate-300 p-6 text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400">
              No study matches these filters.
            </p>
          ) : (
            <StudyTable rows={rows} status={status} sortHeader={sortHeader} />
          )}
          <nav className="mt-3 flex items-center justify-between text-sm text-slate-600 dark:text-slate-400" aria-label="Pages">
            <span data-testid="study-count">
              {total} {total === 1 ? 'study' : 'studies'}
              {pages > 1 ? ` · page ${page} of ${pages}` : ''}
            </span>
            <span className="flex gap-3">
              {page > 1 && <Link href={href({ page: page - 1 })} className="text-brand-700 hover:underline dark:text-brand-500">← Newer</Link>}
              {page < pages && <Link href={href({ page: page + 1 })} className="text-brand-700 hover:underline dark:text-brand-500">Older →</Link>}
            </span>
          </nav>
        </>
      )}
    </>
  );
}
