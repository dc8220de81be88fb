import type { Metadata } from 'next';
import { requirePageUser } from '@/app/_lib/page-guard';
import { EmptyState } from '@/components/ui/EmptyState';
import { icons } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/PageHeader';

export const metadata: Metadata = { title: 'My studies' };

export default async function MePage() {
  await requirePageUser({ area: 'me' });
  return (
    <>
      <PageHeader title="My studies" description="Your imaging studies and how you allow them to be used." />
      <EmptyState icon={icons.me(40)} title="No studies linked to your account yet">
        <p>
          When your hospital gives you a claim code, your imaging studies appear here. For each one you decide
          whether it may be used for research, AI training, teaching or an open dataset, and you can change your
          mind at any time.
        </p>
        <p>Linking studies and recording your decisions arrive with the patient consent part of Cohort.</p>
      </EmptyState>
    </>
  );
}
