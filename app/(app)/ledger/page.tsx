import type { Metadata } from 'next';
import { requirePageUser } from '@/app/_lib/page-guard';
import { CheckpointCard } from '@/components/ledger/CheckpointCard';
import { EntryTable } from '@/components/ledger/EntryTable';
import { SignCheckpointButton } from '@/components/ledger/SignCheckpointButton';
import { VerifyPanel } from '@/components/ledger/VerifyPanel';
import { ButtonLink, Button } from '@/components/ui/Button';
import { Card } from '@/components/ui/Card';
import { EmptyState } from '@/components/ui/EmptyState';
import { icons } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/PageHeader';
import { inputClass } from '@/components/ui/TextField';
import { hasRole } from '@/lib/auth/session-user';
import { getDb } from '@/lib/db/client';
import { getLatestCheckpoint } from '@/lib/ledger/create-checkpoint';
import { LEDGER_ENTRY_TYPES } from '@/lib/ledger/entry-types';
import { findLedgerEntries } from '@/lib/ledger/find-ledger-entries';
import { getLogKey } from '@/lib/ledger/log-key';
import { ledgerSize } from '@/lib/ledger/node-store';
import { ZEntriesQuery } from '@/lib/ledger/schemas';
import { signCheckpointAction } from './actions';

export const metadata: Metadata = { title: 'Ledger' };

export default async function LedgerPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const user = await requirePageUser({ area: 'ledger' });
  const raw = await searchParams;
  const parsed = ZEntriesQuery.safeParse({
    before: raw.before || undefined,
    type: raw.type || undefined,
    since: raw.since || undefined,
    until: raw.until ? `${raw.until}T23:59:59.999Z` : undefined,
    limit: 50,
  });
  const query = parsed.success ? parsed.data : ZEntriesQuery.parse({ limit: 50 });
  const [size, checkpoint, page] = await Promise.all([ledgerSize(getDb()), getLatestCheckpoint(), findLedgerEntries(query)]);
  const { origin, verifierKey } = getLogKey();
  const filterParams = new URLSearchParams(Object.entries({ type: raw.type, since: raw.since, until: raw.until }).filter((e): e is [string, string] => Boolean(e[1])));

  return (
    <>
      <PageHeader
        title="Ledger"
        description="The append-only, tamper-evident record of consent decisions, contributions and publications. Every entry is a leaf of a Merkle tree whose signed checkpoints anyone can check."
      />
      <div className="grid gap-4 lg:grid-cols-[1fr_20rem]">
        <CheckpointCard
          checkpoint={checkpoint}
          origin={origin}
          verifierKey={verifierKey}
          size={size}
          action={hasRole(user, 'admin') ? <SignCheckpointButton action={signCheckpointAction} /> : undefined}
        />
        <Card>
          <h2 className="font-semibold">Verify</h2>
          <p className="mt-1 mb-3 text-sm text-slate-600 dark:text-slate-400">
            Re-hash every entry, rebuild the tree and check every checkpoint&apos;s signature and root. Offline:{' '}
            <code className="font-mono text-xs">npm run ledger:verify</code>.
          </p>
          <VerifyPanel />
        </Card>
      </div>

      <h2 className="mt-8 mb-3 text-lg font-semibold">Entries</h2>
      {size === 0 ? (
        <EmptyState icon={icons.ledger(40)} title="The ledger has no entries yet">
          <p>
            Consent decisions, labels, reviews, model runs and dataset publications are recorded here as they happen,
            each with a proof anyone can check offline against a signed checkpoint.
          </p>
        </EmptyState>
      ) : (
        <>
          <form className="mb-3 flex flex-wrap items-end gap-2" role="search">
            <select name="type" defaultValue={raw.type ?? ''} aria-label="Fact type" className={`${inputClass} w-auto`}>
              <option value="">All facts</option>
              {LEDGER_ENTRY_TYPES.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
            <label className="text-xs text-slate-500">
              From
              <input type="date" name="since" defaultValue={raw.since} className={`${inputClass} w-auto`} />
            </label>
            <label className="text-xs text-slate-500">
              To
              <input type="date" name="until" defaultValue={raw.until} className={`${inputClass} w-auto`} />
            </label>
            <Button type="submit" variant="secondary">
              Filter
            </Button>
          </form>
          {page.entries.length === 0 ? (
            <p className="text-sm text-slate-600 dark:text-slate-400">No entry matches these filters.</p>
          ) : (
            <EntryTable entries={page.entries} />
          )}
          {page.nextBefore !== null && (
            <div className="mt-3">
              <ButtonLink variant="secondary" href={`/ledger?${new URLSearchParams([...filterParams, ['before', String(page.nextBefore)]])}`}>
                Older entries
              </ButtonLink>
            </div>
          )}
        </>
      )}
    </>
  );
}
