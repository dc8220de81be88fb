import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { orNotFound } from '@/app/_lib/or-not-found';
import { requirePageUser } from '@/app/_lib/page-guard';
import { BurnedInClearance } from '@/components/studies/BurnedInClearance';
import { Thumbnail } from '@/components/studies/Thumbnail';
import { Badge } from '@/components/ui/Badge';
import { ButtonLink } from '@/components/ui/Button';
import { Card } from '@/components/ui/Card';
import { DataTable } from '@/components/ui/DataTable';
import { PageHeader } from '@/components/ui/PageHeader';
import { formatDicomDate, formatDicomTime, formatPersonName } from '@/lib/dicom/display.client';
import { getStudy } from '@/lib/dicom/get-study';
import { visibleStudiesWhere } from '@/lib/projects/study-access';
import { patientIdOf } from '@/lib/dicom/patient-key.client';
import { hasRole } from '@/lib/auth/session-user';
import { BURNED_IN_MODALITIES } from '@/lib/dicom/deidentify/burned-in-risk';
import { getBurnedInClearance } from '@/lib/studies/get-burned-in-clearance';
import { actorOf } from '@/lib/access-log/access-event';
import { recordAccess } from '@/lib/access-log/record-access';
import { AREAS } from '@/lib/auth/areas';
import { clientAddress } from '@/lib/http/client-address';

export const metadata: Metadata = { title: 'Study' };

export default async function StudyPage({ params }: { params: Promise<{ studyId: string }> }) {
  const user = await requirePageUser({ area: 'studies' });
  const { studyId } = await params;
  const study = await orNotFound(getStudy(studyId, visibleStudiesWhere(user)));
  recordAccess({ study: { id: study.id }, by: actorOf(user, AREAS.studies.roles), how: 'view', address: clientAddress(await headers()) });
  const { patient } = study;
  // Admins clear studies whose modality is known for burned-in text (datasets leave them out until then).
  const risky = [...new Set(study.series.map((s) => s.modality).filter((m) => BURNED_IN_MODALITIES.has(m)))];
  const clearance = hasRole(user, 'admin') && risky.length ? await getBurnedInClearance(study.id) : null;
  const facts: [string, string][] = [
    ['Patient', `${formatPersonName(patient.name) || 'Unnamed'}${patient.name.includes('=') ? ` (${patient.name.split('=').slice(1).filter(Boolean).join(' / ')})` : ''}`],
    ['Patient ID', patientIdOf(patient.patientKey) || '—'],
    ['Born', formatDicomDate(patient.birthDate) || '—'],
    ['Sex', patient.sex || '—'],
    ['Study date', [formatDicomDate(study.studyDate), formatDicomTime(study.studyTime)].filter(Boolean).join(' ') || '—'],
    ['Accession', study.accessionNumber || '—'],
    ['Referring physician', formatPersonName(study.referringPhysician) || '—'],
    ['Study Instance UID', study.studyInstanceUid],
  ];
  return (
    <>
      <PageHeader
        title={study.description || 'Study without description'}
        description={`${study.seriesCount} series, ${study.instanceCount} instances`}
        actions={<ButtonLink href={`/studies/${study.id}/viewer`}>Open viewer</ButtonLink>}
      />
      <Card className="mb-6">
        <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2 lg:grid-cols-4" data-testid="study-facts">
          {facts.map(([label, value]) => (
            <div key={label}>
              <dt className="text-xs text-slate-500 uppercase">{label}</dt>
              <dd className="break-all">{value}</dd>
            </div>
          ))}
        </dl>
      </Card>
      {hasRole(user, 'admin') && risky.length > 0 && <BurnedInClearance studyId={study.id} risky={risky} clearance={clearance} />}
      <h2 className="mb-3 text-lg font-semibold">Series</h2>
      <DataTable columns={['', '#', 'Modality', 'Description', 'Body part', 'Instances', 'Series Instance UID']} testId="series-table">
        {study.series.map((s) => (
          <tr key={s.id}>
            <td className="py-1 pl-3">
              <Thumbnail src={`/dicomweb/studies/${study.studyInstanceUid}/series/${s.seriesInstanceUid}/thumbnail`} label={s.modality || '?'} size={96} />
            </td>
            <td className="px-4 py-2 tabular-nums">{s.seriesNumber ?? '—'}</td>
            <td className="px-4 py-2">
              <Badge tone="brand">{s.modality || '?'}</Badge>
            </td>
            <td className="px-4 py-2">{s.description || '—'}</td>
            <td className="px-4 py-2">{s.bodyPart || '—'}</td>
            <td className="px-4 py-2 tabular-nums">{s.instanceCount}</td>
            <td className="px-4 py-2 font-mono text-xs break-all text-slate-500">{s.seriesInstanceUid}</td>
          </tr>
        ))}
      </DataTable>
    </>
  );
}
