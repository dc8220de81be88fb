import { DataTable } from '@/components/ui/DataTable';
import type { UserGrantView } from '@/lib/datasets/grants/find-user-grants';

const linkClass = 'text-brand-700 hover:underline dark:text-brand-500';

/** Private dataset versions shared with the user's keys, each with its key file, encrypted to that key. */
export function SharedDatasets({ grants, cohortUrl }: { grants: UserGrantView[]; cohortUrl: string }) {
  if (!grants.length) return <p className="text-sm text-slate-600 dark:text-slate-400">Nothing shared with your keys yet.</p>;
  return (
    <div className="space-y-3">
      <DataTable columns={['Dataset', 'Root CID', 'Shared with key', 'Shared', '']} testId="shared-datasets">
        {grants.map((g) => (
          <tr key={g.id}>
            <td className="px-4 py-2 font-medium">
              {g.dataset}
              {g.version !== null && ` v${g.version}`}
            </td>
            <td className="px-4 py-2 font-mono text-xs break-all">{g.rootCid ?? '—'}</td>
            <td className="px-4 py-2">
              {g.keyLabel}
              {g.keyRevoked && <span className="text-xs text-slate-500"> (removed)</span>}
            </td>
            <td className="px-4 py-2 whitespace-nowrap">{new Date(g.createdAt).toLocaleDateString(undefined, { dateStyle: 'medium' })}</td>
            <td className="px-4 py-2 whitespace-nowrap">
              <a className={linkClass} href={g.downloadUrl} data-testid="shared-key-file">
                Your key file
              </a>
            </td>
          </tr>
        ))}
      </DataTable>
      <p className="text-xs text-slate-500">Each key file is encrypted to your key: only your identity file opens it. Pull and decrypt with</p>
      <pre className="overflow-x-auto rounded bg-slate-100 p-2 text-xs dark:bg-slate-800">{`npm run cohort -- pull <cid> --out <dir> --gateway ${cohortUrl} --key cohort-dataset-<cid>.key.age --identity cohort-identity.txt
# or read the key file itself: age -d -i cohort-identity.txt cohort-dataset-<cid>.key.age`}</pre>
    </div>
  );
}
