'use client';

import { useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/Alert';
import { Badge } from '@/components/ui/Badge';
import { Button } from '@/components/ui/Button';
import { DataTable } from '@/components/ui/DataTable';
import { inputClass } from '@/components/ui/TextField';
import { callApi, useApiCall } from '@/components/ui/use-api-call';
import type { AccessTokenView } from '@/lib/access-tokens/access-token-view';
import { TOKEN_LIFETIMES_DAYS, type TokenLifetimeDays } from '@/lib/access-tokens/lifetimes.client';

/**
 * Create, list and revoke the signed-in user's access tokens. A new token is shown once, with the
 * lines that put it to use in the DICOMweb clients people actually configure.
 */
export function AccessTokens({ initialTokens, dicomWebUrl }: { initialTokens: AccessTokenView[]; dicomWebUrl: string }) {
  const [tokens, setTokens] = useState(initialTokens);
  const [name, setName] = useState('');
  const [days, setDays] = useState<TokenLifetimeDays>(90);
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const { busy, error, act } = useApiCall();
  const refresh = async () => setTokens((await callApi<{ tokens: AccessTokenView[] }>('/api/account/tokens')).tokens);

  const create = (e: FormEvent) => {
    e.preventDefault();
    void act(async () => {
      const { token } = await callApi<{ token: string }>('/api/account/tokens', { method: 'POST', json: { name, expiresInDays: days } });
      setCreated({ name, token });
      setCopied(false);
      setName('');
      await refresh();
    });
  };
  const revoke = (token: AccessTokenView) => {
    if (!window.confirm(`Revoke "${token.name}"? Programs using it stop working at once.`)) return;
    void act(async () => {
      await callApi(`/api/account/tokens/${token.id}`, { method: 'DELETE' });
      await refresh();
    });
  };

  return (
    <div className="space-y-6">
      <form onSubmit={create} className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-[2fr_1fr_auto] md:items-end dark:border-slate-800 dark:bg-slate-900">
        <label className="text-xs text-slate-500">
          Name (the program that will use it)
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={80} placeholder="OHIF on the reading-room workstation" className={`${inputClass} mt-1`} />
        </label>
        <label className="text-xs text-slate-500">
          Expires after
          <select value={days} onChange={(e) => setDays(Number(e.target.value) as TokenLifetimeDays)} className={`${inputClass} mt-1`}>
            {TOKEN_LIFETIMES_DAYS.map((d) => (
              <option key={d} value={d}>
                {d} days
              </option>
            ))}
          </select>
        </label>
        <Button type="submit" disabled={busy}>
          Create token
        </Button>
      </form>

      {error && <Alert tone="error" title="That did not work">{error}</Alert>}

      {created && (
        <Alert tone="success" title={`Token "${created.name}" created: copy it now, it will not be shown again`}>
          <div className="mt-2 flex items-center gap-2">
            <code data-testid="new-token" className="min-w-0 flex-1 truncate rounded bg-slate-100 px-2 py-1 font-mono text-xs dark:bg-slate-800">
              {created.token}
            </code>
            <Button
              variant="secondary"
              onClick={() => void navigator.clipboard?.writeText(created.token).then(() => setCopied(true))}
            >
              {copied ? 'Copied' : 'Copy'}
            </Button>
          </div>
          <p className="mt-3 text-xs">Send it as a header with every DICOMweb request to {dicomWebUrl}:</p>
          <pre className="mt-1 overflow-x-auto rounded bg-slate-100 p-2 text-xs dark:bg-slate-800">{`Authorization: Bearer ${created.token}

# curl
curl -H "Authorization: Bearer ${created.token}" "${dicomWebUrl}/studies?limit=10"

# Orthanc (DicomWeb.Servers)
"cohort": { "Url": "${dicomWebUrl}/", "HttpHeaders": { "Authorization": "Bearer ${created.token}" } }`}</pre>
        </Alert>
      )}

      <section>
        <h2 className="mb-2 font-semibold">Your tokens</h2>
        {tokens.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">
            No token yet. Create one above for each program that reads from Cohort: a viewer such as OHIF, a PACS, a script.
          </p>
        ) : (
          <DataTable columns={['Name', 'Token', 'Created', 'Expires', 'Last used', 'Status', '']} testId="access-tokens">
            {tokens.map((t) => (
              <tr key={t.id}>
                <td className="px-4 py-2">{t.name}</td>
                <td className="px-4 py-2 font-mono text-xs">{t.prefix}…</td>
                <td className="px-4 py-2">{formatDate(t.createdAt)}</td>
                <td className="px-4 py-2">{formatDate(t.expiresAt)}</td>
                <td className="px-4 py-2">{t.lastUsedAt ? formatDate(t.lastUsedAt) : 'never'}</td>
                <td className="px-4 py-2">
                  <Badge tone={t.status === 'active' ? 'success' : 'neutral'}>{t.status}</Badge>
                </td>
                <td className="px-4 py-2 text-right">
                  {t.status === 'active' && (
                    <Button variant="danger" disabled={busy} onClick={() => revoke(t)}>
                      Revoke
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </div>
  );
}

function formatDate(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
