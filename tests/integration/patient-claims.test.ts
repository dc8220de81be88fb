/**
 * Linking patients to their studies: an admin issues a claim code (shown once, stored hashed), the
 * patient opens an account with it or adds it to theirs, and from then sees exactly their own
 * studies. Mistyped, reused, expired and revoked codes are refused with the reason, guessing is
 * throttled, and nothing is half-written.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as patientsRoute from '@/app/api/admin/patients/route';
import * as issueRoute from '@/app/api/admin/patients/[patientId]/claim-codes/route';
import * as revokeRoute from '@/app/api/admin/claim-codes/[codeId]/route';
import * as claimRoute from '@/app/api/claim/route';
import * as myClaimsRoute from '@/app/api/me/claims/route';
import * as myStudiesRoute from '@/app/api/me/studies/route';
import * as thumbnailRoute from '@/app/api/me/studies/[studyId]/thumbnail/route';
import { getDb } from '@/lib/db/client';
import { ingestFiles } from '@/lib/dicom/ingest-files';
import { syntheticCtSeries } from '@/lib/dicom/synthetic-ct';
import { claimCodeHash, normalizeClaimCode } from '@/lib/patients/claim-code-format';
import { callRoute, signInOrThrow, type Session } from '../helpers/api';
import { signedInUser } from '../helpers/users';

let admin: Session;
let adminId: string;
let radiologist: Session;
const patients: Record<'ana' | 'ben' | 'cy', { id: string; studies: string[] }> = { ana: { id: '', studies: [] }, ben: { id: '', studies: [] }, cy: { id: '', studies: [] } };

const issue = (patientId: string, session = admin, body: unknown = {}) => callRoute(issueRoute, 'POST', `/api/admin/patients/${patientId}/claim-codes`, { session, params: { patientId }, body });
const claim = (body: Record<string, unknown>, address = '10.0.0.1') => callRoute(claimRoute, 'POST', '/api/claim', { body, headers: { 'x-forwarded-for': address } });
let accounts = 0;
const newAccount = (code: string) => ({ code, name: 'Ana Lima', email: `ana${++accounts}@patients.test`, password: 'a-long-patient-password' });

beforeAll(async () => {
  ({ id: adminId, session: admin } = await signedInUser(['admin']));
  ({ session: radiologist } = await signedInUser(['radiologist']));
  const people = [
    ['ana', { name: 'Lima^Ana', id: 'PAT-ANA', birthDate: '19800101', sex: 'F' }, 2],
    ['ben', { name: 'Okoro^Ben', id: 'PAT-BEN', birthDate: '19750505', sex: 'M' }, 1],
    ['cy', { name: 'Park^Cy', id: 'PAT-CY', birthDate: '19900909', sex: 'O' }, 1],
  ] as const;
  for (const [key, patient, studies] of people) {
    for (let s = 0; s < studies; s++) {
      await ingestFiles((async function* () { for (const body of syntheticCtSeries({ slices: 1, patient, accessionNumber: `${patient.id}-${s}` })) yield { body }; })(), { actorUserId: adminId });
    }
    const row = await getDb().patient.findFirstOrThrow({ where: { patientKey: patient.id }, include: { studies: { select: { id: true } } } });
    patients[key] = { id: row.id, studies: row.studies.map((s) => s.id).sort() };
  }
});

describe('issuing claim codes', () => {
  it('is for admins only; the code is shown once and stored only as its hash', async () => {
    expect((await issue(patients.ana.id, radiologist)).status).toBe(403);
    expect((await issue('no-such-patient')).status).toBe(404);
    expect((await issue(patients.ana.id, admin, { validDays: 0 })).status).toBe(400);
    const res = await issue(patients.ana.id);
    expect(res.status).toBe(201);
    const { code, id } = res.json as { code: string; id: string };
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    const row = await getDb().claimCode.findUniqueOrThrow({ where: { id } });
    expect(row.codeHash).toBe(claimCodeHash(normalizeClaimCode(code)!));
    expect(JSON.stringify(row)).not.toContain(code.replace(/-/g, ''));
  });

  it('re-issuing revokes the open code: one letter is valid at a time', async () => {
    const first = (await issue(patients.cy.id)).json as { code: string };
    const second = (await issue(patients.cy.id)).json as { code: string };
    expect((await claim(newAccount(first.code))).json.message).toContain('withdrawn');
    const list = await callRoute(patientsRoute, 'GET', '/api/admin/patients?q=PAT-CY', { session: admin });
    expect(list.json.patients).toEqual([expect.objectContaining({ patientKey: 'PAT-CY', studies: 1, account: null, code: expect.objectContaining({ status: 'open' }) })]);
    expect(second.code).not.toBe(first.code);
  });
});

describe('claiming', () => {
  it('opens a patient account that sees exactly the patient’s studies; the code cannot be used again', async () => {
    const { code } = (await issue(patients.ana.id)).json as { code: string };
    const usersBefore = await getDb().user.count();
    // A code typed in lower case, with O for 0 and l for 1, is still the code.
    const typed = code.toLowerCase().replace(/0/g, 'o').replace(/1/g, 'l').replace(/-/g, ' ');
    const account = newAccount(typed);
    const res = await claim(account);
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ studies: 2, patientId: patients.ana.id });
    expect(await getDb().user.count()).toBe(usersBefore + 1);
    const session = await signInOrThrow(account.email, account.password);
    const mine = await callRoute(myStudiesRoute, 'GET', '/api/me/studies', { session });
    expect((mine.json.studies as { id: string }[]).map((s) => s.id).sort()).toEqual(patients.ana.studies);

    // Each study with a thumbnail of its own images; another patient's is not found.
    const thumb = await callRoute(thumbnailRoute, 'GET', `/api/me/studies/${patients.ana.studies[0]}/thumbnail`, { session, params: { studyId: patients.ana.studies[0]! } });
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/png');
    expect((await callRoute(thumbnailRoute, 'GET', `/api/me/studies/${patients.ben.studies[0]}/thumbnail`, { session, params: { studyId: patients.ben.studies[0]! } })).status).toBe(404);
    expect((mine.json.studies as { usedIn: string[] }[])[0]!.usedIn).toEqual([]);

    // Used: refused, and no second account is opened.
    const again = await claim(newAccount(code));
    expect(again.status).toBe(409);
    expect(again.json.message).toContain('already been used');
    expect(await getDb().user.count()).toBe(usersBefore + 1);
    // Claimed patients get no new codes; the admin sees who claimed.
    expect((await issue(patients.ana.id)).status).toBe(409);
    const list = await callRoute(patientsRoute, 'GET', '/api/admin/patients?q=lima', { session: admin });
    expect(list.json.patients).toEqual([expect.objectContaining({ account: expect.objectContaining({ email: account.email }), code: expect.objectContaining({ status: 'claimed' }) })]);

    // Another letter's code joins the same account: Ben's study too, still nobody else's.
    const ben = (await issue(patients.ben.id)).json as { code: string };
    const added = await callRoute(myClaimsRoute, 'POST', '/api/me/claims', { session, body: { code: ben.code } });
    expect(added.status).toBe(201);
    const both = await callRoute(myStudiesRoute, 'GET', '/api/me/studies', { session });
    expect((both.json.studies as { id: string }[]).map((s) => s.id).sort()).toEqual([...patients.ana.studies, ...patients.ben.studies].sort());
  });

  it('refuses a mistyped, expired or revoked code with the reason, creating nothing', async () => {
    const usersBefore = await getDb().user.count();
    expect((await claim(newAccount('ABCD-EFGH'))).json.message).toContain('not valid');
    expect((await claim(newAccount('ZZZZ-ZZZZ-ZZZZ-ZZZZ'))).status).toBe(400);
    const expired = (await issue(patients.cy.id)).json as { id: string; code: string };
    await getDb().claimCode.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await claim(newAccount(expired.code))).json.message).toContain('expired');
    const revoked = (await issue(patients.cy.id)).json as { id: string; code: string };
    expect((await callRoute(revokeRoute, 'DELETE', `/api/admin/claim-codes/${revoked.id}`, { session: radiologist, params: { codeId: revoked.id } })).status).toBe(403);
    expect((await callRoute(revokeRoute, 'DELETE', `/api/admin/claim-codes/${revoked.id}`, { session: admin, params: { codeId: revoked.id } })).status).toBe(200);
    expect((await callRoute(revokeRoute, 'DELETE', `/api/admin/claim-codes/${revoked.id}`, { session: admin, params: { codeId: revoked.id } })).status).toBe(409);
    expect((await claim(newAccount(revoked.code))).json.message).toContain('withdrawn');
    // Bad input: a short password or bad JSON.
    const fresh = (await issue(patients.cy.id)).json as { code: string };
    expect((await claim({ ...newAccount(fresh.code), password: 'short' })).status).toBe(400);
    expect((await callRoute(claimRoute, 'POST', '/api/claim', { rawBody: '{"code":', headers: { 'content-type': 'application/json' } })).status).toBe(400);
    expect(await getDb().user.count()).toBe(usersBefore);
    expect(await getDb().patientLink.count({ where: { patientId: patients.cy.id } })).toBe(0);
  });

  it('throttles guessing per address: after ten wrong codes even a right one waits', async () => {
    const { code } = (await issue(patients.cy.id)).json as { code: string };
    for (let i = 0; i < 10; i++) expect((await claim(newAccount(`AAAA-AAAA-AAAA-AAA${i}`), '10.9.9.9')).status).toBe(400);
    const blocked = await claim(newAccount(code), '10.9.9.9');
    expect(blocked.status).toBe(429);
    expect(blocked.json.message).toContain('Too many wrong codes');
    // From elsewhere, the right code works.
    expect((await claim(newAccount(code), '10.7.7.7')).status).toBe(201);
  });

  it('is for patients: other roles cannot claim or list patient studies', async () => {
    const { code } = (await issue(patients.cy.id)).json as { code?: string };
    expect((await callRoute(myClaimsRoute, 'POST', '/api/me/claims', { session: radiologist, body: { code } })).status).toBe(403);
    expect((await callRoute(myStudiesRoute, 'GET', '/api/me/studies', { session: radiologist })).status).toBe(403);
    expect((await callRoute(myStudiesRoute, 'GET', '/api/me/studies', {})).status).toBe(401);
  });
});
