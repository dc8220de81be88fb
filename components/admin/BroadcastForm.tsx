'use client';

import { useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { inputClass, TextField } from '@/components/ui/TextField';
import { useActionRunner } from '@/components/ui/use-action-runner';
import type { Role } from '@/lib/auth/roles';
import type { Action } from '@/lib/http/action-result';
import { RoleCheckboxes, type RoleOption } from './RoleCheckboxes';

type Input = { title: string; body: string; roles: Role[] };

export function BroadcastForm({ roleOptions, action }: { roleOptions: RoleOption[]; action: Action<Input, { recipients: number }> }) {
  const [roles, setRoles] = useState<Role[]>([]);
  const { busy, message, fields, run } = useActionRunner();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const sent = await run(
      () => action({ title: String(form.get('title')), body: String(form.get('body')), roles }),
      ({ recipients }) => `Sent to ${recipients} user${recipients === 1 ? '' : 's'}.`,
    );
    if (sent) {
      formElement.reset();
      setRoles([]);
    }
  }

  return (
    <form onSubmit={onSubmit} className="max-w-xl space-y-5" noValidate>
      {message && <Alert tone={message.tone}>{message.text}</Alert>}
      <TextField id="title" name="title" label="Title" error={fields.title?.[0]} />
      <div>
        <label htmlFor="body" className="mb-1 block text-sm font-medium">
          Message
        </label>
        <textarea id="body" name="body" rows={5} className={inputClass} aria-invalid={fields.body ? true : undefined} />
        {fields.body && <p className="mt-1 text-xs text-red-600 dark:text-red-400">{fields.body[0]}</p>}
      </div>
      <RoleCheckboxes options={roleOptions} value={roles} onChange={setRoles} />
      <p className="-mt-3 text-xs text-slate-500 dark:text-slate-400">No role ticked: every active user receives it.</p>
      <Button type="submit" disabled={busy}>
        {busy ? 'Sending…' : 'Send announcement'}
      </Button>
    </form>
  );
}
