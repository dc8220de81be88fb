'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { inputClass } from '@/components/ui/TextField';

/** The use a project's data needs patient consent for; changing it asks the patients of its studies who have not decided. */
export function ConsentPurposeSelect({ projectId, value, purposes, disabled }: { projectId: string; value: string | null; purposes: { value: string; label: string }[]; disabled: boolean }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);

  async function change(consentPurpose: string | null) {
    setBusy(true);
    setMessage(null);
    const res = await fetch(`/api/projects/${projectId}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ consentPurpose }) });
    const body = (await res.json().catch(() => ({}))) as { consentRequests?: number; message?: string };
    setBusy(false);
    if (!res.ok) return setMessage({ error: true, text: body.message ?? `Not changed (HTTP ${res.status}).` });
    setMessage({ error: false, text: body.consentRequests ? `Asked the patients of ${body.consentRequests} ${body.consentRequests === 1 ? 'study' : 'studies'} for consent.` : 'Saved.' });
    router.refresh();
  }

  return (
    <div className="flex flex-wrap items-center gap-2 text-sm" data-testid="consent-purpose">
      <label htmlFor="consent-purpose" className="text-slate-600 dark:text-slate-400">
        Patient consent needed
      </label>
      <select id="consent-purpose" value={value ?? ''} disabled={busy || disabled} onChange={(e) => void change(e.target.value || null)} className={`${inputClass} w-auto`}>
        <option value="">None declared</option>
        {purposes.map((p) => (
          <option key={p.value} value={p.value}>
            {p.label}
          </option>
        ))}
      </select>
      {message && (
        <span role={message.error ? 'alert' : 'status'} className={message.error ? 'text-red-600 dark:text-red-400' : 'text-slate-600 dark:text-slate-400'}>
          {message.text}
        </span>
      )}
    </div>
  );
}
