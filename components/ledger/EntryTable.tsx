import { Badge } from '@/components/ui/Badge';
import type { LedgerEntryView } from '@/lib/ledger/find-ledger-entries';

function facts(payload: Record<string, unknown>): string {
  return Object.entries(payload)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
    .join('  ');
}

/** Ledger entries, newest first, each with a link to its offline-verifiable proof. */
export function EntryTable({ entries }: { entries: LedgerEntryView[] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <table className="min-w-full text-left text-sm" data-testid="ledger-entries">
        <thead className="border-b border-slate-200 text-xs text-slate-500 uppercase dark:border-slate-800 dark:text-slate-400">
          <tr>
            <th className="px-4 py-3 font-medium">#</th>
            <th className="px-4 py-3 font-medium">Recorded (UTC)</th>
            <th className="px-4 py-3 font-medium">Fact</th>
            <th className="px-4 py-3 font-medium">Actor</th>
            <th className="px-4 py-3 font-medium">About</th>
            <th className="px-4 py-3 font-medium">Details</th>
            <th className="px-4 py-3 font-medium">Proof</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 font-mono text-xs dark:divide-slate-800">
          {entries.map((e) => (
            <tr key={e.seq}>
              <td className="px-4 py-2">{e.seq}</td>
              <td className="px-4 py-2 whitespace-nowrap">{e.time.replace('T', ' ').slice(0, 19)}</td>
              <td className="px-4 py-2 font-sans">
                <Badge tone="brand">{e.type}</Badge>
              </td>
              <td className="px-4 py-2" title={e.actor}>
                {e.actor.slice(0, 10)}…
              </td>
              <td className="max-w-48 truncate px-4 py-2" title={e.subjects.join(', ')}>
                {e.subjects.join(', ')}
              </td>
              <td className="max-w-72 truncate px-4 py-2" title={facts(e.payload)}>
                {facts(e.payload)}
              </td>
              <td className="px-4 py-2 font-sans">
                <a
                  href={`/api/ledger/entries/${e.seq}/proof`}
                  className="text-brand-700 hover:underline dark:text-brand-500"
                  aria-label={`Download the proof of entry ${e.seq}`}
                  download
                >
                  Download
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
