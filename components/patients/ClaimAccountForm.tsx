'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { authClient } from '@/components/auth/auth-client';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { TextField } from '@/components/ui/TextField';

/**
 * A patient opens their account with the code from the hospital's letter, then is signed in and
 * taken to their studies. Field errors come back from the server as they are.
 */
export function ClaimAccountForm({ code }: { code?: string | undefined }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const body = { code: String(form.get('code')), name: String(form.get('name')), email: String(form.get('email')), password: String(form.get('password')) };
    if (body.password !== String(form.get('confirm'))) return setError('The two passwords differ.');
    setBusy(true);
    setError(null);
    const res = await fetch('/api/claim', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) {
      const answer = (await res.json().catch(() => ({}))) as { message?: string; fields?: Record<string, string[]> };
      setError(answer.message ?? Object.values(answer.fields ?? {}).flat()[0] ?? 'Your account could not be opened. Try again in a minute.');
      setBusy(false);
      return;
    }
    const { error: signInError } = await authClient.signIn.email({ email: body.email, password: body.password });
    if (signInError) return router.replace('/sign-in?next=/me');
    router.replace('/me');
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" aria-label="Open your account" noValidate>
      {error && <Alert tone="error">{error}</Alert>}
      <TextField id="code" name="code" label="Code from your letter" autoComplete="one-time-code" placeholder="XXXX-XXXX-XXXX-XXXX" defaultValue={code} required autoFocus={!code} />
      <TextField id="name" name="name" label="Your name" autoComplete="name" required autoFocus={Boolean(code)} />
      <TextField id="email" name="email" type="email" label="Email" autoComplete="email" required />
      <TextField id="password" name="password" type="password" label="Choose a password" autoComplete="new-password" help="At least 12 characters." required />
      <TextField id="confirm" name="confirm" type="password" label="The same password again" autoComplete="new-password" required />
      <Button type="submit" className="w-full" disabled={busy}>
        {busy ? 'Opening your account…' : 'Open my account'}
      </Button>
    </form>
  );
}
