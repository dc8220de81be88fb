'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/Alert';
import { Badge } from '@/components/ui/Badge';
import { Button } from '@/components/ui/Button';
import { Card } from '@/components/ui/Card';
import { TextField } from '@/components/ui/TextField';
import { useActionRunner } from '@/components/ui/use-action-runner';
import type { Role } from '@/lib/auth/roles';
import type { Action } from '@/lib/http/action-result';
import type { UserView } from '@/lib/users/user-view';
import { OneTimePassword } from './OneTimePassword';
import { RoleCheckboxes, type RoleOption } from './RoleCheckboxes';

export type UserEditorActions = {
  update: Action<{ userId: string; name?: string; roles?: Role[] }, UserView>;
  setActive: Action<{ userId: string; active: boolean }, UserView>;
  resetPassword: Action<{ userId: string }, { password: string }>;
};

export function UserEditor({
  user,
  isSelf,
  roleOptions,
  actions,
}: {
  user: UserView;
  isSelf: boolean;
  roleOptions: RoleOption[];
  actions: UserEditorActions;
}) {
  const router = useRouter();
  const [roles, setRoles] = useState<Role[]>(user.roles);
  const [password, setPassword] = useState<string | null>(null);
  const { busy, message, fields, run: runAction } = useActionRunner();

  async function run<T>(work: Parameters<typeof runAction<T>>[0], success: string) {
    const data = await runAction(work, success);
    if (data) router.refresh();
    return data;
  }

  async function onSave(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get('name'));
    await run(() => actions.update({ userId: user.id, name, roles }), 'Saved.');
  }

  const deactivated = user.status === 'deactivated';
  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_20rem]">
      <Card>
        <form onSubmit={onSave} className="space-y-5" noValidate>
          {message && <Alert tone={message.tone}>{message.text}</Alert>}
          <TextField id="name" name="name" label="Full name" defaultValue={user.name} error={fields.name?.[0]} />
          <div className="text-sm">
            <span className="font-medium">Email</span>
            <p className="mt-1 text-slate-600 dark:text-slate-400">{user.email}</p>
          </div>
          <RoleCheckboxes options={roleOptions} value={roles} onChange={setRoles} error={fields.roles?.[0]} />
          <Button type="submit" disabled={busy}>
            Save changes
          </Button>
        </form>
      </Card>
      <div className="space-y-4">
        <Card>
          <h2 className="font-semibold">Status</h2>
          <p className="mt-2 flex items-center gap-2 text-sm">
            {deactivated ? <Badge tone="danger">Deactivated</Badge> : <Badge tone="success">Active</Badge>}
            {user.mustChangePassword && <Badge tone="warning">Temporary password</Badge>}
          </p>
          <p className="mt-2 text-xs text-slate-500 dark:text-slate-400">
            {deactivated
              ? 'Cannot sign in. Their work and records are kept.'
              : 'Deactivating signs them out everywhere and refuses sign-in; nothing is deleted.'}
          </p>
          {!isSelf && (
            <Button
              variant={deactivated ? 'secondary' : 'danger'}
              className="mt-3"
              disabled={busy}
              onClick={() =>
                run(
                  () => actions.setActive({ userId: user.id, active: deactivated }),
                  deactivated ? 'Reactivated.' : 'Deactivated and signed out.',
                )
              }
            >
              {deactivated ? 'Reactivate' : 'Deactivate'}
            </Button>
          )}
        </Card>
        <Card>
          <h2 className="font-semibold">Password</h2>
          <p className="mt-2 text-xs text-slate-500 dark:text-slate-400">
            Issue a new temporary password, signing them out everywhere. They choose their own at next sign-in.
          </p>
          <Button
            variant="secondary"
            className="mt-3"
            disabled={busy}
            onClick={async () => {
              const data = await run(() => actions.resetPassword({ userId: user.id }), 'Password reset.');
              if (data) setPassword(data.password);
            }}
          >
            Reset password
          </Button>
        </Card>
        {password && <OneTimePassword email={user.email} password={password} />}
      </div>
    </div>
  );
}
