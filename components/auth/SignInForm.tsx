'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { TextField } from '@/components/ui/TextField';
import { authClient } from './auth-client';
import { safeNextPath } from './safe-next-path';

type SignInError = { status: number; code?: string | undefined; message?: string | undefined };

function explain(error: SignInError, retryAfter: string | null): string {
  if (error.status === 401) return 'Wrong email or password.';
  if (error.status === 403 && error.code === 'ACCOUNT_DEACTIVATED') return error.message ?? 'This account is deactivated.';
  if (error.status === 429) {
    return `Too many sign-in attempts. Wait ${retryAfter ? `${retryAfter} seconds` : 'a minute'} and try again.`;
  }
  if (error.status === 403) return 'Sign-in was refused for this address. Open Cohort from its usual URL.';
  return 'Sign-in is unavailable right now. Try again in a minute.';
}

export function SignInForm({ next }: { next?: string | undefined }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    let retryAfter: string | null = null;
    const { error } = await authClient.signIn.email(
      { email: String(form.get('email')), password: String(form.get('password')) },
      { onError: (ctx) => void (retryAfter = ctx.response.headers.get('X-Retry-After')) },
    );
    if (error) {
      setError(explain(error, retryAfter));
      setBusy(false);
      return;
    }
    router.replace(safeNextPath(next));
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {error && <Alert tone="error">{error}</Alert>}
      <TextField id="email" name="email" type="email" label="Email" autoComplete="username" required autoFocus />
      <TextField id="password" name="password" type="password" label="Password" autoComplete="current-password" required />
      <Button type="submit" className="w-full" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </Button>
    </form>
  );
}
