'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Button } from '@/components/ui/Button';
import { inputClass } from '@/components/ui/TextField';
import { callApi, useApiCall } from '@/components/ui/use-api-call';
import type { ShareLinkView } from '@/lib/share-links/share-link-view';

const DAYS = [1, 7, 30] as const;

/**
 * Sharing one study: make an expiring link (shown once: Cohort keeps only its hash), copy it, see
 * the study's links with when each was last used, and withdraw any of them.
 */
export function ShareStudyPanel({ studyId, links }: { studyId: string; links: ShareLinkView[] }) {
  const router = useRouter();
  const { busy, error, act } = useApiCall();
  const [open, setOpen] = useState(false);
  const [days, setDays] = useState<(typeof DAYS)[number]>(7);
  const [label, setLabel] = useState('');
  const [made, setMade] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);

  const create = () =>
    act(async () => {
      const { path } = await callApi<{ path: string }>('/api/me/share-links', { method: 'POST', json: { studyId, expiresInDays: days, label } });
      setMade(`${window.location.origin}${path}`);
      setCopied(false);
      setLabel('');
      router.refresh();
    });
  const revoke = (id: string) =>
    act(async () => {
      await callApi(`/api/me/share-links/${id}`, { method: 'DELETE' });
      router.refresh();
    });
  const copy = async (url: string) => {
    await navigator.clipboard?.writeText(url).catch(() => undefined);
    setCopied(true);
  };

  return (
    <div className="mt-3" data-testid="share-panel">
      {!open ? (
        <Button variant="ghost" onClick={() => setOpen(true)}>
          Share…
        </Button>
      ) : (
        <div className="space-y-2 rounded-md border border-slate-200 p-3 text-sm dark:border-slate-700">
          <p className="text-xs text-slate-600 dark:text-slate-400">Anyone with the link can see and download this study, without an account, until it expires or you withdraw it. Each use is listed under “Who looked at my images”.</p>
          <div className="flex flex-wrap items-end gap-2">
            <label className="flex flex-col text-xs">
              Works for
              <select value={days} onChange={(e) => setDays(Number(e.target.value) as (typeof DAYS)[number])} className={`${inputClass} w-auto`}>
                {DAYS.map((d) => (
                  <option key={d} value={d}>
                    {d === 1 ? '1 day' : `${d} days`}
                  </option>
                ))}
              </select>
            </label>
            <label className="flex min-w-40 flex-1 flex-col text-xs">
              For whom (only you see this)
              <input value={label} onChange={(e) => setLabel(e.target.value)} maxLength={80} placeholder="e.g. Dr. Silva, second opinion" className={inputClass} />
            </label>
            <Button onClick={create} disabled={busy}>
              Make link
            </Button>
          </div>
          {made && (
            <div className="rounded bg-emerald-50 p-2 dark:bg-emerald-950/40" role="status">
              <p className="text-xs">Copy it now: for your safety Cohort cannot show it again.</p>
              <div className="mt-1 flex items-center gap-2">
                <input readOnly value={made} aria-label="Share link" className={`${inputClass} font-mono text-xs`} onFocus={(e) => e.target.select()} data-testid="share-url" />
                <Button variant="secondary" onClick={() => copy(made)}>
                  {copied ? 'Copied' : 'Copy'}
                </Button>
              </div>
            </div>
          )}
          {error && (
            <p role="alert" className="text-xs text-red-700 dark:text-red-400">
              {error}
            </p>
          )}
        </div>
      )}
      {links.length > 0 && (
        <ul className="mt-2 space-y-1 text-xs" aria-label="Share links" data-testid="share-links">
          {links.map((l) => (
            <li key={l.id} className="flex flex-wrap items-center gap-2" data-status={l.status}>
              <span className="font-medium">{l.label || 'Link'}</span>
              <span className="text-slate-500">
                {l.status === 'active' ? `works until ${l.expiresAt.slice(0, 10)}` : l.status === 'expired' ? 'expired' : 'withdrawn'}
                {l.lastUsedAt ? ` · last used ${l.lastUsedAt.slice(0, 16).replace('T', ' ')} UTC` : ' · not used yet'}
              </span>
              {l.status === 'active' && (
                <Button variant="ghost" className="px-2 py-0.5 text-xs" onClick={() => revoke(l.id)} disabled={busy}>
                  Withdraw
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
