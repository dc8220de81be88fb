import type { Metadata } from 'next';
import { requirePageUser } from '@/app/_lib/page-guard';
import { DicomUploader } from '@/components/studies/DicomUploader';
import { ButtonLink } from '@/components/ui/Button';
import { PageHeader } from '@/components/ui/PageHeader';
import { env } from '@/lib/config/env';
import { formatBytes } from '@/lib/format/format-bytes.client';

export const metadata: Metadata = { title: 'Upload DICOM' };

export default async function UploadPage() {
  await requirePageUser({ roles: ['admin'] });
  return (
    <>
      <PageHeader
        title="Upload DICOM"
        description={`Files, whole folders or zip archives. Each file is checked as it arrives: stored as it came, recognised as already stored, or refused with the reason. Up to ${formatBytes(env.COHORT_MAX_DICOM_BYTES)} per file.`}
        actions={
          <ButtonLink href="/studies" variant="secondary">
            Back to studies
          </ButtonLink>
        }
      />
      <DicomUploader />
    </>
  );
}
