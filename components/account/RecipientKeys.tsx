'use client';

import { useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/Alert';
import { Badge } from '@/components/ui/Badge';
import { Button } from '@/components/ui/Button';
import { inputClass } from '@/components/ui/TextField';
import { callApi, useApiCall } from '@/components/ui/use-api-call';
import type { RecipientKeyView } from '@/lib/recipient-keys/recipient-key-view';

/**
 * Register, list and remove the signed-in user's dataset keys: age public keys (`age1…`) that private
 * dataset versions are shared with. The identity (secret half) never leaves the holder's machine.
 */
export function RecipientKeys({ initialKeys }: { initialKeys: RecipientKeyView[] }) {
  const [keys, setKeys] = useState(initialKeys);
  const [label, setLabel] = useState('');
  const [recipient, setRecipient] = useState('');
  const { busy, error, act } = useApiCall();
  const refresh = async () => setKeys((await callApi<{ keys: RecipientKeyView[] }>('/api/account/recipient-keys')).keys);

  const register = (e: FormEvent) => {
    e.preventDefault();
    void act(async () => {
      await callApi('/api/account/recipient-keys', { method: 'POST', json: { label, recipient } });
      setLabel('');
      setRecipient('');
      await refresh();
    });
  };
  const remove = (key: RecipientKeyView) => {
    if (!window.confirm(`Remove "${key.label}"? No dataset can be shared with it any more. Versions already shared with it stay readable with its identity: they cannot be taken back.`)) return;
    void act(async () => {
      await callApi(`/api/account/recipient-keys/${key.id}`, { method: 'DELETE' });
      await refresh();
    });
  };

  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Private dataset versions are shared with you by encrypting their key to one of these public keys, in the{' '}
        <a className="text-brand-700 hover:underline dark:text-brand-500" href="https://age-encryption.org/v1">
          age
        </a>{' '}
        format. Make one on the machine you will decrypt on, keep the identity file there, and paste the public key here:
      </p>
      <pre className="overflow-x-auto rounded bg-slate-100 p-2 text-xs dark:bg-slate-800">{`npm run cohort -- keygen --out cohort-identity.txt   # or: age-keygen -o cohort-identity.txt
# it prints the public key: age1…`}</pre>
      <form onSubmit={register} className="grid gap-3 md:grid-cols-[1fr_2fr_auto] md:items-end">
        <label className="text-xs text-slate-500">
          Label
          <input value={label} onChange={(e) => setLabel(e.target.value)} required maxLength={80} placeholder="Training server" className={`${inputClass} mt-1`} />
        </label>
        <label className="text-xs text-slate-500">
          Public key
          <input
            value={recipient}
            onChange={(e) => setRecipient(e.target.value)}
            required
            maxLength={200}
            placeholder="age1…"
            spellCheck={false}
            className={`${inputClass} mt-1 font-mono`}
            data-testid="recipient-key-input"
          />
        </label>
        <Button type="submit" disabled={busy}>
          Add key
        </Button>
      </form>
      {error && <Alert tone="error" title="That did not work">{error}</Alert>}
      {keys.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">No key yet: nobody can share a private dataset with you until you add one.</p>
      ) : (
        <ul className="divide-y divide-slate-100 text-sm dark:divide-slate-800" data-testid="recipient-keys">
          {keys.map((k) => (
            <li key={k.id} className="flex flex-wrap items-center gap-2 py-2">
              <span className="font-medium">{k.label}</span>
              <Badge tone={k.status === 'active' ? 'success' : 'neutral'}>{k.status === 'active' ? 'active' : 'removed'}</Badge>
              <code className="min-w-0 flex-1 truncate font-mono text-xs text-slate-500" title={k.recipient}>
                {k.recipient}
              </code>
              <span className="text-xs text-slate-500">added {new Date(k.createdAt).toLocaleDateString(undefined, { dateStyle: 'medium' })}</span>
              {k.status === 'active' && (
                <Button variant="danger" disabled={busy} onClick={() => remove(k)}>
                  Remove
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
