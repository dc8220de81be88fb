'use client';

import { useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { TextField } from '@/components/ui/TextField';
import type { Action } from '@/lib/http/action-result';

export type SettingField = { key: string; label: string; help: string; value: string };

export function SettingsForm({ fields, action }: { fields: SettingField[]; action: Action<Record<string, string>, unknown> }) {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [errors, setErrors] = useState<Record<string, string[] | undefined>>({});

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    const result = await action(Object.fromEntries(fields.map((f) => [f.key, String(form.get(f.key) ?? '')])));
    setBusy(false);
    if (result.ok) {
      setErrors({});
      setMessage({ tone: 'success', text: 'Settings saved.' });
    } else {
      setErrors(result.error.fields ?? {});
      setMessage({ tone: 'error', text: result.error.message });
    }
  }

  return (
    <form onSubmit={onSubmit} className="max-w-xl space-y-5" noValidate>
      {message && <Alert tone={message.tone}>{message.text}</Alert>}
      {fields.map((f) => (
        <TextField key={f.key} id={f.key} name={f.key} label={f.label} help={f.help} defaultValue={f.value} error={errors[f.key]?.[0]} />
      ))}
      <Button type="submit" disabled={busy}>
        {busy ? 'Saving…' : 'Save settings'}
      </Button>
    </form>
  );
}
