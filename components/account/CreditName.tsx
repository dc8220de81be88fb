'use client';

import { useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { inputClass } from '@/components/ui/TextField';
import { callApi, useApiCall } from '@/components/ui/use-api-call';

/**
 * Opt in (or out) to being credited by name in the datasets one labels or reviews for. Off, the
 * dataset card and manifest name a contributor by ledger pseudonym only.
 */
export function CreditName({ initialCreditName, accountName }: { initialCreditName: string | null; accountName: string }) {
  const [stored, setStored] = useState(initialCreditName);
  const [credit, setCredit] = useState(initialCreditName !== null);
  const [name, setName] = useState(initialCreditName ?? accountName);
  const [saved, setSaved] = useState(false);
  const { busy, error, act } = useApiCall();

  const save = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    void act(async () => {
      const body = await callApi<{ creditName: string | null }>('/api/account/credit', { method: 'PUT', json: { creditName: credit ? name : null } });
      setStored(body.creditName);
      if (body.creditName !== null) setName(body.creditName);
      setSaved(true);
    });
  };

  return (
    <form onSubmit={save} className="space-y-3 text-sm" data-testid="credit-name">
      <p className="text-slate-600 dark:text-slate-400">
        Published datasets name their contributors by ledger pseudonym. Opt in to have your name printed beside your pseudonym in the manifest and
        dataset card of versions published from now on. Versions already published cannot change, and the ledger never holds names.
      </p>
      <label className="flex items-center gap-2">
        <input type="checkbox" checked={credit} onChange={(e) => setCredit(e.target.checked)} />
        Credit me by name in datasets I contribute to
      </label>
      {credit && (
        <label className="block text-xs text-slate-500">
          Name to be credited under
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} className={`${inputClass} mt-1`} data-testid="credit-name-input" />
        </label>
      )}
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={busy}>
          Save
        </Button>
        {saved && !busy && (
          <span className="text-xs text-slate-500" role="status">
            {stored === null ? 'Saved: you are credited by pseudonym only.' : `Saved: credited as “${stored}”.`}
          </span>
        )}
      </div>
      {error && <Alert tone="error" title="That did not work">{error}</Alert>}
    </form>
  );
}
