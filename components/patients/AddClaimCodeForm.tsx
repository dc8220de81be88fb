'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { TextField } from '@/components/ui/TextField';

/** A signed-in patient adds the studies of another letter's code to their account. */
export function AddClaimCodeForm() {
  const router = useRouter();
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    setBusy(true);
    setMessage(null);
    const res = await fetch('/api/me/claims', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: String(new FormData(formElement).get('code')) }) });
    const body = (await res.json().catch(() => ({}))) as { studies?: number; message?: string };
    setBusy(false);
    if (!res.ok) return setMessage({ tone: 'error', text: body.message ?? 'The code could not be added. Try again in a minute.' });
    formElement.reset();
    setMessage({ tone: 'success', text: `Added ${body.studies} ${body.studies === 1 ? 'study' : 'studies'} to your account.` });
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-3 sm:flex-row sm:items-end" aria-label="Add a code">
      <TextField id="code" name="code" label="Code from a letter" autoComplete="one-time-code" placeholder="XXXX-XXXX-XXXX-XXXX" required className="flex-1" />
      <Button type="submit" disabled={busy}>
        {busy ? 'Adding…' : 'Add studies'}
      </Button>
      {message && (
        <div className="sm:basis-full">
          <Alert tone={message.tone}>{message.text}</Alert>
        </div>
      )}
    </form>
  );
}
