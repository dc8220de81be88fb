'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { TextField } from '@/components/ui/TextField';
import { authClient } from './auth-client';

const MIN_LENGTH = 12;

export function ChangePasswordForm({ required }: { required: boolean }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<{ newPassword?: string; confirm?: string }>({});
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const currentPassword = String(form.get('currentPassword'));
    const newPassword = String(form.get('newPassword'));
    setError(null);
    if (newPassword.length < MIN_LENGTH) return setFieldError({ newPassword: `At least ${MIN_LENGTH} characters.` });
    if (newPassword === currentPassword) return setFieldError({ newPassword: 'Choose a password different from the current one.' });
    if (newPassword !== String(form.get('confirm'))) return setFieldError({ confirm: 'The two passwords differ.' });
    setFieldError({});
    setBusy(true);
    const { error } = await authClient.changePassword({ currentPassword, newPassword, revokeOtherSessions: true });
    setBusy(false);
    if (error) {
      setError(
        error.status === 400 && error.code === 'INVALID_PASSWORD'
          ? 'The current password is wrong.'
          : error.status === 429
            ? 'Too many attempts. Wait a minute and try again.'
            : (error.message ?? 'The password could not be changed. Try again.'),
      );
      return;
    }
    setDone(true);
    router.refresh();
    if (required) router.replace('/');
  }

  return (
    <form onSubmit={onSubmit} className="max-w-md space-y-4" noValidate>
      {error && <Alert tone="error">{error}</Alert>}
      {done && <Alert tone="success">Password changed. Your other sessions were signed out.</Alert>}
      <TextField
        id="currentPassword"
        name="currentPassword"
        type="password"
        label={required ? 'Temporary password' : 'Current password'}
        autoComplete="current-password"
        required
      />
      <TextField
        id="newPassword"
        name="newPassword"
        type="password"
        label="New password"
        autoComplete="new-password"
        help={`At least ${MIN_LENGTH} characters. A few unrelated words make a strong one.`}
        error={fieldError.newPassword}
        required
      />
      <TextField id="confirm" name="confirm" type="password" label="New password again" autoComplete="new-password" error={fieldError.confirm} required />
      <Button type="submit" disabled={busy}>
        {busy ? 'Saving…' : 'Change password'}
      </Button>
    </form>
  );
}
