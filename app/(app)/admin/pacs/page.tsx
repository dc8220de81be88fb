import type { Metadata } from 'next';
import { requirePageUser } from '@/app/_lib/page-guard';
import { PacsImport } from '@/components/admin/PacsImport';
import { PageHeader } from '@/components/ui/PageHeader';
import { findImportJobs } from '@/lib/pacs/find-import-jobs';

export const metadata: Metadata = { title: 'PACS import' };

export default async function PacsImportPage() {
  await requirePageUser({ area: 'admin' });
  return (
    <>
      <PageHeader
        title="PACS import"
        description="Search the hospital PACS (or any DICOMweb server: Orthanc, dcm4chee, a cloud archive) with QIDO-RS and import the studies you choose with WADO-RS, in the background. Already stored images are recognised and skipped."
      />
      <PacsImport initialJobs={await findImportJobs()} />
    </>
  );
}
