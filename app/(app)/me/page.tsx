import type { Metadata } from 'next';
import { requirePageUser } from '@/app/_lib/page-guard';
import { AddClaimCodeForm } from '@/components/patients/AddClaimCodeForm';
import { Card } from '@/components/ui/Card';
import { EmptyState } from '@/components/ui/EmptyState';
import { icons } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/PageHeader';
import { formatDicomDate } from '@/lib/dicom/display.client';
import { findMyStudies } from '@/lib/patients/find-my-studies';

export const metadata: Metadata = { title: 'My studies' };

export default async function MePage() {
  const user = await requirePageUser({ area: 'me' });
  const studies = await findMyStudies(user.id);
  return (
    <>
      <PageHeader title="My studies" description="Your imaging studies and how you allow them to be used." />
      {studies.length === 0 ? (
        <EmptyState icon={icons.me(40)} title="No studies linked to your account yet" action={<AddClaimCodeForm />}>
          <p>When your hospital gives you a letter with a claim code, type it below: your imaging studies then appear here.</p>
          <p>For each one you will decide whether it may be used for research, AI training, teaching or an open dataset, and you can change your mind at any time.</p>
        </EmptyState>
      ) : (
        <>
          <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-label="Your studies">
            {studies.map((s) => (
              <li key={s.id} data-testid="my-study">
                <Card>
                  <p className="text-sm text-slate-500 dark:text-slate-400">{formatDicomDate(s.studyDate) || 'Date not recorded'}</p>
                  <h2 className="mt-1 font-semibold">{s.description || 'Imaging study'}</h2>
                  <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
                    {s.modalities.join(', ') || 'Imaging'} · {s.series} series, {s.images} {s.images === 1 ? 'image' : 'images'}
                  </p>
                </Card>
              </li>
            ))}
          </ul>
          <section className="mt-8" aria-labelledby="more-codes">
            <h2 id="more-codes" className="mb-2 font-semibold">
              Another letter?
            </h2>
            <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">Studies from another hospital, or filed under another patient number, join your account with their own code.</p>
            <AddClaimCodeForm />
          </section>
        </>
      )}
    </>
  );
}
