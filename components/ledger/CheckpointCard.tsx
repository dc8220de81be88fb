import type { ReactNode } from 'react';
import { Card } from '@/components/ui/Card';
import type { CheckpointView } from '@/lib/ledger/checkpoint-view';

/** The newest signed tree head and the key that verifies it. */
export function CheckpointCard({
  checkpoint,
  origin,
  verifierKey,
  size,
  action,
}: {
  checkpoint: CheckpointView | null;
  origin: string;
  verifierKey: string;
  size: number;
  action?: ReactNode;
}) {
  return (
    <Card>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 className="font-semibold">Latest signed checkpoint</h2>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
            {checkpoint
              ? `${checkpoint.treeSize} of ${size} entries, signed ${checkpoint.createdAt.replace('T', ' ').slice(0, 19)} UTC`
              : `No checkpoint yet for the ${size} entries.`}
          </p>
        </div>
        {action}
      </div>
      <dl className="mt-4 grid gap-2 text-sm sm:grid-cols-[9rem_1fr]" data-testid="checkpoint">
        <dt className="text-slate-500 dark:text-slate-400">Log (origin)</dt>
        <dd className="font-mono text-xs break-all">{origin}</dd>
        {checkpoint && (
          <>
            <dt className="text-slate-500 dark:text-slate-400">Root hash</dt>
            <dd className="font-mono text-xs break-all">{checkpoint.rootHash}</dd>
            <dt className="text-slate-500 dark:text-slate-400">Signed note</dt>
            <dd>
              <pre className="overflow-x-auto rounded bg-slate-100 p-2 font-mono text-xs dark:bg-slate-800">{checkpoint.note}</pre>
            </dd>
          </>
        )}
        <dt className="text-slate-500 dark:text-slate-400">Public key</dt>
        <dd className="font-mono text-xs break-all">
          {verifierKey}{' '}
          <a href="/.well-known/cohort-ledger-key" className="font-sans text-brand-700 hover:underline dark:text-brand-500">
            (download)
          </a>
        </dd>
      </dl>
    </Card>
  );
}
