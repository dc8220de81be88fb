import { Badge } from '@/components/ui/Badge';
import { DataTable } from '@/components/ui/DataTable';
import { formatBytes } from '@/lib/format/format-bytes.client';
import type { DatasetVersionView } from '@/lib/datasets/find-dataset-versions';
import type { VersionGrantView } from '@/lib/datasets/grants/version-grant-view';
import type { ShareableRecipientKey } from '@/lib/recipient-keys/find-shareable-recipient-keys';
import { VersionShare } from './VersionShare';

const linkClass = 'text-brand-700 hover:underline dark:text-brand-500';

/**
 * A dataset's versions: where each is on IPFS, its manifest, CAR and key downloads, whether patients
 * revoked consent since, and for a published private version who it is shared with (and sharing it).
 */
export function VersionList({
  versions,
  shareableKeys,
  grants,
}: {
  versions: DatasetVersionView[];
  /** Registered keys a private version can be shared with. */
  shareableKeys: ShareableRecipientKey[];
  /** Grants by version id. */
  grants: Record<string, VersionGrantView[]>;
}) {
  if (!versions.length) return <p className="text-sm text-slate-500">No version published yet.</p>;
  return (
    <DataTable columns={['Version', 'Status', 'Studies', 'Size', 'Content', 'Downloads', 'Shared with']} testId="dataset-versions">
      {versions.map((v) => (
        <tr key={v.id} data-testid="dataset-version-row">
          <td className="px-4 py-2 font-medium">{v.version ? `v${v.version}` : '—'}</td>
          <td className="px-4 py-2">
            <span className="flex flex-wrap gap-1">
              <Badge tone={v.status === 'published' ? 'success' : v.status === 'failed' ? 'danger' : 'warning'}>{v.status}</Badge>
              {v.revokedStudies > 0 && <Badge tone="danger">{v.revokedStudies} revoked since</Badge>}
              {v.encrypted ? <Badge>encrypted</Badge> : <Badge tone="warning">open</Badge>}
            </span>
            {v.error && <p className="mt-1 max-w-xs text-xs text-red-600 dark:text-red-400">{v.error}</p>}
            {v.publishedAt && <p className="mt-1 text-xs text-slate-500">{v.publishedAt.slice(0, 16).replace('T', ' ')} UTC · ledger entry {v.ledgerSeq}</p>}
          </td>
          <td className="px-4 py-2 tabular-nums">{v.status === 'published' ? v.studyCount : '—'}</td>
          <td className="px-4 py-2 whitespace-nowrap">{v.status === 'published' ? `${formatBytes(v.bytes)} · ${v.fileCount} files` : '—'}</td>
          <td className="px-4 py-2 font-mono text-xs break-all">
            {v.rootCid && v.status === 'published' ? (
              <a className={linkClass} href={`/ipfs/${v.rootCid}/`} data-testid="version-cid">
                {v.rootCid}
              </a>
            ) : (
              '—'
            )}
          </td>
          <td className="px-4 py-2 text-sm whitespace-nowrap">
            {v.rootCid && v.status === 'published' && (
              <span className="flex flex-col">
                <a className={linkClass} href={`/ipfs/${v.rootCid}/manifest.json`}>
                  manifest.json
                </a>
                <a className={linkClass} href={`/ipfs/${v.rootCid}?format=car`} download={`${v.rootCid}.car`}>
                  CAR archive
                </a>
                {v.encrypted && (
                  <a className={linkClass} href={`/api/dataset-versions/${v.id}/key`} data-testid="version-key">
                    Key file
                  </a>
                )}
              </span>
            )}
          </td>
          <td className="px-4 py-2 align-top">
            {v.encrypted && v.status === 'published' ? <VersionShare versionId={v.id} keys={shareableKeys} initialGrants={grants[v.id] ?? []} /> : <span className="text-xs text-slate-500">{v.encrypted ? '—' : 'open: no key'}</span>}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
