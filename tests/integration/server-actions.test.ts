import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db/client';
import { runAction } from '@/lib/http/run-action';
import { createUser } from '@/lib/users/create-user';
import { ZCreateUserInput } from '@/lib/users/schemas';
import { signInOrThrow } from '../helpers/api';
import { makeUser } from '../helpers/users';

function serverActionFiles(dir = path.join(process.cwd(), 'app')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return serverActionFiles(full);
    return /\.tsx?$/.test(e.name) && /^['"]use server['"]/m.test(readFileSync(full, 'utf8')) ? [full] : [];
  });
}

const createUserVia = (headers: Headers, input: unknown) =>
  runAction(headers, ZCreateUserInput, input, (i, user) => createUser({ input: i, actorId: user.id }), { roles: ['admin'] });

describe('server actions', () => {
  it('are all built with safeAction (session and role checks), and every admin action requires admin', () => {
    const files = serverActionFiles();
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      const exports = source.split(/^(?=export )/m).filter((block) => block.startsWith('export '));
      for (const block of exports) {
        expect(block, path.relative(process.cwd(), file)).toMatch(/^export const \w+ = safeAction\(/);
        if (file.includes(`${path.sep}admin${path.sep}`)) expect(block).toMatch(/\bADMIN,?\s*\);\s*$/);
      }
    }
  });

  it('refuse callers without a session, without the role, or on a temporary password, and run nothing', async () => {
    const before = await getDb().user.count();
    const input = { name: 'Sneaky', email: 'sneaky@test.local', roles: ['admin'] };
    const anonymous = await createUserVia(new Headers(), input);
    expect(anonymous).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED', message: 'Sign in to continue.' } });

    const patient = await makeUser(['patient']);
    const patientSession = await signInOrThrow(patient.email, patient.password);
    const refused = await createUserVia(new Headers({ cookie: patientSession.cookie }), input);
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    const pending = await makeUser(['admin'], { temporary: true });
    const pendingSession = await signInOrThrow(pending.email, pending.password);
    expect(await createUserVia(new Headers({ cookie: pendingSession.cookie }), input)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await getDb().user.count()).toBe(before + 2);
  });

  it('return field errors for bad input and the domain result otherwise', async () => {
    const admin = await makeUser(['admin']);
    const headers = new Headers({ cookie: (await signInOrThrow(admin.email, admin.password)).cookie });
    const bad = await createUserVia(headers, { name: '', email: 'x', roles: [] });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && Object.keys(bad.error.fields ?? {}).sort()).toEqual(['email', 'name', 'roles']);
    const ok = await createUserVia(headers, { name: 'Made By Action', email: 'action@test.local', roles: ['patient'] });
    expect(ok).toMatchObject({ ok: true, data: { user: { email: 'action@test.local', roles: ['patient'] } } });
  });
});
