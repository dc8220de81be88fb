import type { Metadata } from 'next';
import { requirePageUser } from '@/app/_lib/page-guard';
import { ImportFhirConsentsForm } from '@/components/patients/ImportFhirConsentsForm';
import { PatientClaimRow } from '@/components/patients/PatientClaimRow';
import { Button, buttonClass } from '@/components/ui/Button';
import { Card } from '@/components/ui/Card';
import { EmptyState } from '@/components/ui/EmptyState';
import { icons } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/PageHeader';
import { inputClass } from '@/components/ui/TextField';
import { PURPOSE_OPTIONS } from '@/lib/consent/purposes';
import { findPatients } from '@/lib/patients/find-patients';
import { getSettings } from '@/lib/settings/get-settings';

export const metadata: Metadata = { title: 'Patients and claim codes' };

export default async function PatientsPage({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
  await requirePageUser({ area: 'admin' });
  const q = (await searchParams).q?.slice(0, 200) || undefined;
  const [patients, settings] = await Promise.all([findPatients({ q }), getSettings()]);
  return (
    <>
      <PageHeader
        title="Patients and claim codes"
        description="Give patients a claim code so they can open an account, see their own studies and decide how they may be used."
        actions={
          <a href="/api/admin/consents/fhir" download className={buttonClass('secondary')}>
            Export every consent (FHIR)
          </a>
        }
      />
      <div className="mb-4">
        <ImportFhirConsentsForm />
      </div>
      <form className="mb-4 flex flex-wrap gap-2" role="search">
        <input name="q" defaultValue={q} placeholder="Name or patient ID" aria-label="Search by name or patient ID" className={`${inputClass} max-w-xs`} />
        <Button type="submit" variant="secondary">
          Search
        </Button>
      </form>
      {patients.length === 0 ? (
        <EmptyState icon={icons.me(40)} title={q ? 'No patient matches' : 'No patients yet'}>
          <p>{q ? 'Search by another part of the name or ID.' : 'Patients appear here once their studies are ingested (Upload DICOM or PACS import).'}</p>
        </EmptyState>
      ) : (
        <Card>
          <ul className="divide-y divide-slate-200 dark:divide-slate-800" aria-label="Patients">
            {patients.map((p) => (
              <PatientClaimRow key={p.id} patient={p} instance={settings['instance.name']} purposes={PURPOSE_OPTIONS} />
            ))}
          </ul>
        </Card>
      )}
    </>
  );
}
