import type { Metadata } from 'next';
import { requirePageUser } from '@/app/_lib/page-guard';
import { EmptyState } from '@/components/ui/EmptyState';
import { icons } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/PageHeader';

export const metadata: Metadata = { title: 'Ledger' };

export default async function LedgerPage() {
  await requirePageUser({ area: 'ledger' });
  return (
    <>
      <PageHeader title="Ledger" description="The append-only, tamper-evident record of consent decisions, contributions and publications." />
      <EmptyState icon={icons.ledger(40)} title="The ledger has no entries yet">
        <p>
          Every consent decision, label, review, model run and dataset publication will be written here as an
          entry of a Merkle tree with signed checkpoints, so anyone holding a dataset can prove what was recorded
          and that nothing was rewritten.
        </p>
        <p>Entries start with the ledger part of Cohort, built right after this foundation.</p>
      </EmptyState>
    </>
  );
}
