'use client';

import { useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/Alert';
import { Button, ButtonLink } from '@/components/ui/Button';
import { TextField } from '@/components/ui/TextField';
import { useActionRunner } from '@/components/ui/use-action-runner';
import type { Role } from '@/lib/auth/roles';
import type { Action } from '@/lib/http/action-result';
import { OneTimePassword } from './OneTimePassword';
import { RoleCheckboxes, type RoleOption } from './RoleCheckboxes';

type Created = { user: { id: string; email: string }; password: string };
type Input = { name: string; email: string; roles: Role[]; password?: string };

export function CreateUserForm({ roleOptions, action }: { roleOptions: RoleOption[]; action: Action<Input, Created> }) {
  const [roles, setRoles] = useState<Role[]>([]);
  const [created, setCreated] = useState<Created | null>(null);
  const { busy, message, fields, run } = useActionRunner();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get('password') ?? '');
    const input = { name: String(form.get('name')), email: String(form.get('email')), roles, ...(password ? { password } : {}) };
    setCreated(await run(() => action(input)));
  }

  if (created) {
    return (
      <div className="max-w-lg space-y-4">
        <OneTimePassword email={created.user.email} password={created.password} />
        <div className="flex gap-2">
          <ButtonLink href={`/admin/users/${created.user.id}`} variant="secondary">
            Open the user
          </ButtonLink>
          <ButtonLink href="/admin/users" variant="ghost">
            Back to users
          </ButtonLink>
        </div>
      </div>
    );
  }

  return (
    <form onSubmit={onSubmit} className="max-w-lg space-y-5" noValidate>
      {message && <Alert tone={message.tone}>{message.text}</Alert>}
      <TextField id="name" name="name" label="Full name" required error={fields.name?.[0]} />
      <TextField id="email" name="email" type="email" label="Email" required autoComplete="off" error={fields.email?.[0]} />
      <RoleCheckboxes options={roleOptions} value={roles} onChange={setRoles} error={fields.roles?.[0]} />
      <TextField
        id="password"
        name="password"
        type="text"
        label="Temporary password (optional)"
        autoComplete="off"
        help="Leave empty to generate one. Either way the user must replace it at first sign-in."
        error={fields.password?.[0]}
      />
      <Button type="submit" disabled={busy}>
        {busy ? 'Creating…' : 'Create user'}
      </Button>
    </form>
  );
}
