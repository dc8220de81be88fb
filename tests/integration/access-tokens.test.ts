/**
 * Access tokens for DICOMweb clients: created and shown once, stored only as a hash, accepted on
 * DICOMweb with their user's current roles, refused everywhere else and once expired, revoked or
 * their user is deactivated; every bad request refused with a reason.
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tokenRoute from '@/app/api/account/tokens/[tokenId]/route';
import * as tokensRoute from '@/app/api/account/tokens/route';
import * as meRoute from '@/app/api/me/route';
import * as studiesRoute from '@/app/dicomweb/studies/route';
import { MAX_TOKENS_PER_USER } from '@/lib/access-tokens/create-access-token';
import { getDb } from '@/lib/db/client';
import { setUserActive } from '@/lib/users/set-user-active';
import { updateUser } from '@/lib/users/update-user';
import { callRoute, signInOrThrow, type Session } from '../helpers/api';
import { makeUser } from '../helpers/users';

let radiologist: Awaited<ReturnType<typeof makeUser>>;
let session: Session;

beforeAll(async () => {
  radiologist = await makeUser(['radiologist']);
  session = await signInOrThrow(radiologist.email, radiologist.password);
});

async function newToken(s = session, name = 'OHIF') {
  const res = await callRoute(tokensRoute, 'POST', '/api/account/tokens', { session: s, body: { name, expiresInDays: 30 } });
  expect(res.status).toBe(201);
  return { token: res.json.token as string, id: (res.json.accessToken as { id: string }).id };
}

const qido = (token: string) => callRoute(studiesRoute, 'GET', '/dicomweb/studies?limit=1', { headers: { authorization: `Bearer ${token}` } });

describe('access tokens', () => {
  it('are shown once and stored only as their SHA-256', async () => {
    const { token, id } = await newToken();
    expect(token).toMatch(/^cohort_pat_[A-Za-z0-9_-]{43}$/);
    const row = await getDb().accessToken.findUniqueOrThrow({ where: { id } });
    expect(row.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(token.slice(15));
    const list = await callRoute(tokensRoute, 'GET', '/api/account/tokens', { session });
    expect(list.text).not.toContain(token);
    expect(list.json.tokens).toContainEqual(expect.objectContaining({ id, name: 'OHIF', prefix: token.slice(0, 15), status: 'active', lastUsedAt: null }));
  });

  it('open DICOMweb with the user’s roles, and nothing else', async () => {
    const { token } = await newToken();
    expect((await qido(token)).status).toBe(200);
    // Case-insensitive scheme, as RFC 9110 has it.
    expect((await callRoute(studiesRoute, 'GET', '/dicomweb/studies', { headers: { authorization: `bearer ${token}` } })).status).toBe(200);
    // A radiologist reads but does not store.
    const stow = await callRoute(studiesRoute, 'POST', '/dicomweb/studies', { headers: { authorization: `Bearer ${token}`, 'content-type': 'multipart/related; boundary=x' }, rawBody: '--x--' });
    expect(stow.status).toBe(403);
    const me = await callRoute(meRoute, 'GET', '/api/me', { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(401);
    expect(me.json.message).toMatch(/not an access token/);
  });

  it('records when a token was last used, at most once a minute', async () => {
    const { token, id } = await newToken();
    await qido(token);
    const first = (await getDb().accessToken.findUniqueOrThrow({ where: { id } })).lastUsedAt;
    expect(first).toBeInstanceOf(Date);
    await qido(token);
    expect((await getDb().accessToken.findUniqueOrThrow({ where: { id } })).lastUsedAt).toEqual(first);
  });

  it('stop working when revoked, expired, their user is deactivated or loses the role', async () => {
    const revoked = await newToken();
    expect((await callRoute(tokenRoute, 'DELETE', `/api/account/tokens/${revoked.id}`, { session, params: { tokenId: revoked.id } })).status).toBe(204);
    expect((await callRoute(tokenRoute, 'DELETE', `/api/account/tokens/${revoked.id}`, { session, params: { tokenId: revoked.id } })).status).toBe(204);
    expect((await qido(revoked.token)).status).toBe(401);

    const expired = await newToken();
    await getDb().accessToken.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const refused = await qido(expired.token);
    expect(refused.status).toBe(401);
    expect(refused.json.message).toMatch(/unknown, expired or revoked/);

    const reader = await makeUser(['radiologist']);
    const readerSession = await signInOrThrow(reader.email, reader.password);
    const demoted = await newToken(readerSession);
    const admin = await makeUser(['admin']);
    await updateUser({ userId: reader.id, input: { roles: ['ml_engineer'] }, actorId: admin.id });
    expect((await qido(demoted.token)).status).toBe(403);
    await updateUser({ userId: reader.id, input: { roles: ['radiologist'] }, actorId: admin.id });
    await setUserActive({ userId: reader.id, active: false, actorId: admin.id });
    expect((await qido(demoted.token)).status).toBe(401);
    // Reactivated, the user signs in again, but the token stays revoked.
    await setUserActive({ userId: reader.id, active: true, actorId: admin.id });
    expect((await qido(demoted.token)).status).toBe(401);

    for (const garbage of ['cohort_pat_short', `cohort_pat_${'A'.repeat(43)}`, 'not-a-token', '']) {
      expect((await qido(garbage)).status, garbage).toBe(401);
    }
  });

  it('can be revoked only by their owner', async () => {
    const { token, id } = await newToken();
    const other = await makeUser(['admin']);
    const otherSession = await signInOrThrow(other.email, other.password);
    expect((await callRoute(tokenRoute, 'DELETE', `/api/account/tokens/${id}`, { session: otherSession, params: { tokenId: id } })).status).toBe(404);
    expect((await qido(token)).status).toBe(200);
    const theirs = await callRoute(tokensRoute, 'GET', '/api/account/tokens', { session: otherSession });
    expect(theirs.json.tokens).toEqual([]);
  });

  it('refuses bad requests with a reason, creating nothing', async () => {
    const before = await getDb().accessToken.count();
    const bad = [
      { rawBody: '{"name": ', headers: { 'content-type': 'application/json' } },
      { body: { name: '', expiresInDays: 30 } },
      { body: { name: 'x'.repeat(81), expiresInDays: 30 } },
      { body: { name: 'Forever', expiresInDays: 100000 } },
      { body: { name: 'No lifetime' } },
      { rawBody: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
    ];
    for (const options of bad) {
      const res = await callRoute(tokensRoute, 'POST', '/api/account/tokens', { session, ...options });
      expect(res.status, JSON.stringify(options)).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.json.message).toEqual(expect.any(String));
    }
    expect(await getDb().accessToken.count()).toBe(before);
  });

  it(`allows ${MAX_TOKENS_PER_USER} active tokens per user`, async () => {
    const many = await makeUser(['admin']);
    const manySession = await signInOrThrow(many.email, many.password);
    for (let i = 0; i < MAX_TOKENS_PER_USER; i++) await newToken(manySession, `tool ${i}`);
    const refused = await callRoute(tokensRoute, 'POST', '/api/account/tokens', { session: manySession, body: { name: 'one more', expiresInDays: 7 } });
    expect(refused.status).toBe(409);
    expect(refused.json.message).toMatch(/revoke one/);
  });
});
