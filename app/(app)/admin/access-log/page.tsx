import type { Metadata } from 'next';
import { requirePageUser } from '@/app/_lib/page-guard';
import { AccessLogTable } from '@/components/access-log/AccessLogTable';
import { Button, ButtonLink } from '@/components/ui/Button';
import { EmptyState } from '@/components/ui/EmptyState';
import { icons } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/PageHeader';
import { inputClass } from '@/components/ui/TextField';
import { ACCESS_HOW_TEXT } from '@/lib/access-log/access-how-text.client';
import { ACCESS_HOWS } from '@/lib/access-log/access-event';
import { describeReader } from '@/lib/access-log/describe-access';
import { findStudyAccesses } from '@/lib/access-log/find-study-accesses';
import { ZAccessLogQuery } from '@/lib/access-log/schemas';
import { formatDicomDate } from '@/lib/dicom/display.client';

export const metadata: Metadata = { title: 'Access log' };

export default async function AccessLogPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  await requirePageUser({ area: 'admin' });
  const raw = await searchParams;
  // Unknown filter values are ignored rather than failing the page.
  const parsed = ZAccessLogQuery.safeParse(raw);
  const query = parsed.success ? parsed.data : {};
  const { rows, next } = await findStudyAccesses(query).catch(() => findStudyAccesses({ ...query, after: undefined }));
  const filters = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== 'after'));
  const filtered = [...filters.keys()].length > 0;
  return (
    <>
      <PageHeader
        title="Access log"
        description="Every read of a study's images or metadata: by whom, how and when, refusals included. Patients see the reads of their own studies in their portal."
        actions={
          <ButtonLink href={`/api/admin/access-log?${new URLSearchParams([...filters, ['format', 'csv']])}`} variant="secondary">
            Download CSV
          </ButtonLink>
        }
      />
      <form className="mb-4 flex flex-wrap gap-2" role="search">
        <input name="study" defaultValue={query.study} placeholder="Study Instance UID" aria-label="Study Instance UID" className={`${inputClass} max-w-xs`} />
        <input name="user" defaultValue={query.user} placeholder="Name or email" aria-label="Reader's name or email" className={`${inputClass} max-w-xs`} />
        <select name="how" defaultValue={query.how ?? ''} aria-label="How" className={`${inputClass} w-auto`}>
          <option value="">Any way</option>
          {ACCESS_HOWS.map((h) => (
            <option key={h} value={h}>
              {ACCESS_HOW_TEXT[h]}
            </option>
          ))}
        </select>
        <select name="outcome" defaultValue={query.outcome ?? ''} aria-label="Outcome" className={`${inputClass} w-auto`}>
          <option value="">Allowed and refused</option>
          <option value="allowed">Allowed</option>
          <option value="denied">Refused</option>
        </select>
        <input type="date" name="from" defaultValue={query.from} aria-label="From" className={`${inputClass} w-auto`} />
        <input type="date" name="to" defaultValue={query.to} aria-label="To" className={`${inputClass} w-auto`} />
        <Button type="submit" variant="secondary">
          Filter
        </Button>
      </form>
      {rows.length === 0 ? (
        <EmptyState icon={icons.admin(40)} title={filtered ? 'No access matches these filters' : 'Nobody has read a study yet'}>
          <p>{filtered ? 'Clear a filter to see more.' : 'Reads appear here as radiologists open studies, programs retrieve them over DICOMweb, models run and datasets are exported.'}</p>
        </EmptyState>
      ) : (
        <>
          <AccessLogTable
            lines={rows.map((r) => ({
              id: r.id,
              at: r.at.toISOString(),
              outcome: r.outcome,
              how: r.how,
              reader: describeReader(r),
              email: r.user?.email ?? null,
              studyId: r.studyId,
              studyInstanceUid: r.studyInstanceUid,
              studyLabel: r.study ? [r.study.modalities.replaceAll('\\', '/'), r.study.description, formatDicomDate(r.study.studyDate)].filter(Boolean).join(' · ') : null,
              seriesInstanceUid: r.seriesInstanceUid,
              requests: r.requests,
              address: r.address,
            }))}
          />
          {next && (
            <p className="mt-3">
              <ButtonLink href={`/admin/access-log?${new URLSearchParams([...filters, ['after', next]])}`} variant="secondary">
                Older →
              </ButtonLink>
            </p>
          )}
        </>
      )}
    </>
  );
}
