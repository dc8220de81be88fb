'use client';

import { useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { inputClass, TextField } from '@/components/ui/TextField';
import type { Role } from '@/lib/auth/roles';
import type { Action } from '@/lib/http/action-result';
import { RoleCheckboxes, type RoleOption } from './RoleCheckboxes';

type Input = { title: string; body: string; roles: Role[] };

export function BroadcastForm({ roleOptions, action }: { roleOptions: RoleOption[]; action: Action<Input, { recipients: number }> }) {
  const [roles, setRoles] = useState<Role[]>([]);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [errors, setErrors] = useState<Record<string, string[] | undefined>>({});

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setBusy(true);
    const result = await action({ title: String(form.get('title')), body: String(form.get('body')), roles });
    setBusy(false);
    if (result.ok) {
      setErrors({});
      setMessage({ tone: 'success', text: `Sent to ${result.data.recipients} user${result.data.recipients === 1 ? '' : 's'}.` });
      formElement.reset();
      setRoles([]);
    } else {
      setErrors(result.error.fields ?? {});
      setMessage({ tone: 'error', text: result.error.message });
    }
  }

  return (
    <form onSubmit={onSubmit} className="max-w-xl space-y-5" noValidate>
      {message && <Alert tone={message.tone}>{message.text}</Alert>}
      <TextField id="title" name="title" label="Title" error={errors.title?.[0]} />
      <div>
        <label htmlFor="body" className="mb-1 block text-sm font-medium">
          Message
        </label>
        <textarea id="body" name="body" rows={5} className={inputClass} aria-invalid={errors.body ? true : undefined} />
        {errors.body && <p className="mt-1 text-xs text-red-600 dark:text-red-400">{errors.body[0]}</p>}
      </div>
      <RoleCheckboxes options={roleOptions} value={roles} onChange={setRoles} />
      <p className="-mt-3 text-xs text-slate-500 dark:text-slate-400">No role ticked: every active user receives it.</p>
      <Button type="submit" disabled={busy}>
        {busy ? 'Sending…' : 'Send announcement'}
      </Button>
    </form>
  );
}
