import { Badge } from '@/components/ui/Badge';
import { DataTable } from '@/components/ui/DataTable';
import type { LedgerEntryView } from '@/lib/ledger/find-ledger-entries';

function facts(payload: Record<string, unknown>): string {
  return Object.entries(payload)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
    .join('  ');
}

/** Ledger entries, newest first, each with a link to its offline-verifiable proof. */
export function EntryTable({ entries }: { entries: LedgerEntryView[] }) {
  return (
    <DataTable
      columns={['#', 'Recorded (UTC)', 'Fact', 'Actor', 'About', 'Details', 'Proof']}
      testId="ledger-entries"
      bodyClassName="font-mono text-xs"
    >
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
    </DataTable>
  );
}
