'use client';

import { useState } from 'react';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { inputClass } from '@/components/ui/TextField';
import { callApi, useApiCall } from '@/components/ui/use-api-call';
import type { VersionGrantView } from '@/lib/datasets/grants/version-grant-view';
import type { ShareableRecipientKey } from '@/lib/recipient-keys/find-shareable-recipient-keys';

const linkClass = 'text-brand-700 hover:underline dark:text-brand-500';

/**
 * Who a private version is shared with, and a control to share it with one more registered key: the
 * version's key file is encrypted to that key, so only its owner's identity opens it.
 */
export function VersionShare({ versionId, keys, initialGrants }: { versionId: string; keys: ShareableRecipientKey[]; initialGrants: VersionGrantView[] }) {
  const [grants, setGrants] = useState(initialGrants);
  const granted = new Set(grants.map((g) => g.keyId));
  const choices = keys.filter((k) => !granted.has(k.id));
  const [keyId, setKeyId] = useState('');
  const { busy, error, act } = useApiCall();

  const share = () =>
    act(async () => {
      await callApi(`/api/dataset-versions/${versionId}/grants`, { method: 'POST', json: { recipientKeyId: keyId } });
      setGrants((await callApi<{ grants: VersionGrantView[] }>(`/api/dataset-versions/${versionId}/grants`)).grants);
      setKeyId('');
    });

  return (
    <div className="min-w-64 space-y-2 text-xs" data-testid="version-share">
      {grants.length > 0 ? (
        <ul className="space-y-1" data-testid="version-grants">
          {grants.map((g) => (
            <li key={g.id}>
              <span className="font-medium">{g.owner.name}</span> · {g.keyLabel}
              {g.keyRevoked && ' (key removed)'}
              <span className="text-slate-500">
                {' '}
                · {g.createdAt.slice(0, 10)}
                {g.grantedBy && ` by ${g.grantedBy}`} ·{' '}
              </span>
              <a className={linkClass} href={g.downloadUrl}>
                .age
              </a>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-slate-500">Not shared yet.</p>
      )}
      {choices.length > 0 ? (
        <div className="flex gap-2">
          <select value={keyId} onChange={(e) => setKeyId(e.target.value)} className={inputClass} aria-label="Key to share with" data-testid="share-key-select">
            <option value="">Share with…</option>
            {choices.map((k) => (
              <option key={k.id} value={k.id}>
                {k.owner.name} ({k.owner.email}) · {k.label}
              </option>
            ))}
          </select>
          <Button variant="secondary" disabled={busy || !keyId} onClick={() => void share()}>
            Share
          </Button>
        </div>
      ) : (
        <p className="text-slate-500">{keys.length ? 'Shared with every registered key.' : 'Nobody has registered a dataset key yet (Account → Dataset keys).'}</p>
      )}
      <p className="text-slate-500">Sharing is final: a key file handed out cannot be taken back, even if its key is removed later.</p>
      {error && <Alert tone="error">{error}</Alert>}
    </div>
  );
}
