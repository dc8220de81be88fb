'use client';

import type { FormEvent } from 'react';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { TextField } from '@/components/ui/TextField';
import { useActionRunner } from '@/components/ui/use-action-runner';
import type { Action } from '@/lib/http/action-result';

export type SettingField = { key: string; label: string; help: string; value: string };

export function SettingsForm({ fields, action }: { fields: SettingField[]; action: Action<Record<string, string>, unknown> }) {
  const { busy, message, fields: errors, run } = useActionRunner();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    await run(() => action(Object.fromEntries(fields.map((f) => [f.key, String(form.get(f.key) ?? '')]))), 'Settings saved.');
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
