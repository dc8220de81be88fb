import Link from 'next/link';
import { ACCESS_HOW_TEXT } from '@/lib/access-log/access-how-text.client';
import type { AccessHow } from '@/lib/access-log/access-event';
import { Badge } from '@/components/ui/Badge';
import { DataTable } from '@/components/ui/DataTable';

export type AccessLogLine = {
  id: string;
  at: string;
  outcome: string;
  how: string;
  reader: string;
  email: string | null;
  studyId: string | null;
  studyInstanceUid: string;
  studyLabel: string | null;
  seriesInstanceUid: string | null;
  requests: number;
  address: string | null;
};

/** The admin's view of the access log: one row per logged access, refusals marked. */
export function AccessLogTable({ lines }: { lines: AccessLogLine[] }) {
  return (
    <DataTable columns={['When (UTC)', 'Who', 'What', 'Study', 'Requests', 'From']} testId="access-log">
      {lines.map((l) => (
        <tr key={l.id} data-outcome={l.outcome}>
          <td className="px-4 py-2 font-mono text-xs whitespace-nowrap">{l.at.slice(0, 19).replace('T', ' ')}</td>
          <td className="px-4 py-2">
            {l.reader}
            {l.email && <div className="text-xs text-slate-500">{l.email}</div>}
          </td>
          <td className="px-4 py-2">
            {ACCESS_HOW_TEXT[l.how as AccessHow] ?? l.how} {l.outcome === 'denied' && <Badge tone="danger">refused</Badge>}
          </td>
          <td className="px-4 py-2">
            {l.studyId ? (
              <Link href={`/studies/${l.studyId}`} prefetch={false} className="text-brand-700 underline dark:text-brand-500">
                {l.studyLabel || 'Study'}
              </Link>
            ) : (
              <span className="text-slate-500">No such study</span>
            )}
            <div className="font-mono text-xs break-all text-slate-500">{l.studyInstanceUid}</div>
            {l.seriesInstanceUid && <div className="font-mono text-xs break-all text-slate-400">series {l.seriesInstanceUid}</div>}
          </td>
          <td className="px-4 py-2 text-right font-mono">{l.requests}</td>
          <td className="px-4 py-2 font-mono text-xs">{l.address ?? ''}</td>
        </tr>
      ))}
    </DataTable>
  );
}
