/**
 * A contributor's opt-in to be credited by name in published datasets: set, changed and withdrawn
 * through the account API, only by the user themself; every bad request refused with a reason and
 * nothing stored. (That the name reaches the manifest and card: dataset-publish.test.ts.)
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as creditRoute from '@/app/api/account/credit/route';
import { getDb } from '@/lib/db/client';
import { callRoute, type Session } from '../helpers/api';
import { signedInUser } from '../helpers/users';

let radiologist: { id: string; session: Session };

beforeAll(async () => {
  radiologist = await signedInUser(['radiologist']);
});

const put = (body: unknown, session = radiologist.session) => callRoute(creditRoute, 'PUT', '/api/account/credit', { session, body });
const stored = async () => (await getDb().user.findUniqueOrThrow({ where: { id: radiologist.id } })).creditName;

describe('credit by name', () => {
  it('is off until the contributor opts in, and can be changed and withdrawn', async () => {
    expect((await callRoute(creditRoute, 'GET', '/api/account/credit', { session: radiologist.session })).json).toEqual({ creditName: null });
    expect((await put({ creditName: 'Dr. Ana Lysis, MD' })).json).toEqual({ creditName: 'Dr. Ana Lysis, MD' });
    expect((await callRoute(creditRoute, 'GET', '/api/account/credit', { session: radiologist.session })).json).toEqual({ creditName: 'Dr. Ana Lysis, MD' });
    expect((await put({ creditName: 'Ana Lysis' })).json).toEqual({ creditName: 'Ana Lysis' });
    expect((await put({ creditName: null })).json).toEqual({ creditName: null });
    expect(await stored()).toBeNull();
  });

  it('refuses bad input with a reason and stores nothing', async () => {
    await put({ creditName: 'Kept' });
    for (const [body, reason] of [
      [{ creditName: '   ' }, /Enter the name/],
      [{ creditName: 'x'.repeat(121) }, /120/],
      [{ creditName: 'Dr.\nInjected' }, /control characters/],
      [{ creditName: 'a | b' }, /control characters, \|/],
      [{ creditName: 42 }, /string/],
      [{}, /.+/],
    ] as const) {
      const res = await put(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((res.json.fields as Record<string, string[]>).creditName![0]).toMatch(reason);
    }
    const malformed = await callRoute(creditRoute, 'PUT', '/api/account/credit', { session: radiologist.session, rawBody: '{"creditName":', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect(await stored()).toBe('Kept');
  });

  it('is the user’s own: patients have none, and signed-out callers are refused', async () => {
    const patient = await signedInUser(['patient']);
    expect((await put({ creditName: 'Me' }, patient.session)).status).toBe(403);
    expect((await callRoute(creditRoute, 'PUT', '/api/account/credit', { body: { creditName: 'Anyone' } })).status).toBe(401);
  });

});
