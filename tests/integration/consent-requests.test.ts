/**
 * Usage requests: studies joining a project that declares a consent purpose ask their patients, who
 * approve or decline from the portal; an answer is a consent decision like any other, and nobody is
 * asked again once they decided.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as projectsRoute from '@/app/api/projects/route';
import * as projectStudiesRoute from '@/app/api/projects/[projectId]/studies/route';
import * as projectRoute from '@/app/api/projects/[projectId]/route';
import * as requestsRoute from '@/app/api/me/requests/route';
import * as answerRoute from '@/app/api/me/requests/[requestId]/route';
import * as consentsRoute from '@/app/api/me/consents/route';
import { canUse } from '@/lib/consent/can-use';
import { getDb } from '@/lib/db/client';
import { ingestFiles } from '@/lib/dicom/ingest-files';
import { syntheticCtSeries } from '@/lib/dicom/synthetic-ct';
import { claimPatient } from '@/lib/patients/claim-patient';
import { issueClaimCode } from '@/lib/patients/issue-claim-code';
import { callRoute, type Session } from '../helpers/api';
import { signedInUser } from '../helpers/users';

let adminId: string;
let engineer: Session;
const people: Record<'ana' | 'ben', { patientId: string; studies: string[]; session?: Session; userId?: string }> = { ana: { patientId: '', studies: [] }, ben: { patientId: '', studies: [] } };

async function ingestPatient(id: string, count: number) {
  for (let s = 0; s < count; s++) {
    await ingestFiles((async function* () { for (const body of syntheticCtSeries({ slices: 1, patient: { name: `Patient^${id}`, id, birthDate: '19800101', sex: 'O' }, accessionNumber: `${id}-${s}` })) yield { body }; })(), { actorUserId: adminId });
  }
  const patient = await getDb().patient.findFirstOrThrow({ where: { patientKey: id }, include: { studies: { orderBy: { accessionNumber: 'asc' }, select: { id: true } } } });
  return { patientId: patient.id, studies: patient.studies.map((s) => s.id) };
}

async function link(key: 'ana' | 'ben') {
  const user = await signedInUser(['patient']);
  const { code } = await issueClaimCode({ actorId: adminId, patientId: people[key].patientId, validDays: 7 });
  await claimPatient({ userId: user.id, code });
  Object.assign(people[key], { session: user.session, userId: user.id });
}

async function projectWith(name: string, consentPurpose: string | null, studyIds: string[]) {
  const created = await callRoute(projectsRoute, 'POST', '/api/projects', { session: engineer, body: { name, purpose: 'Find lung nodules earlier', consentPurpose, schema: { segments: [{ value: 1, name: 'Nodule', color: '#ff0000' }] }, readers: [], reviewers: [] } });
  expect(created.status).toBe(201);
  const { id } = created.json as { id: string };
  const added = await callRoute(projectStudiesRoute, 'POST', `/api/projects/${id}/studies`, { session: engineer, params: { projectId: id }, body: { studyIds } });
  expect(added.status).toBe(200);
  return { id, consentRequests: (added.json as { consentRequests: number }).consentRequests };
}

const requestsOf = async (key: 'ana' | 'ben') => (await callRoute(requestsRoute, 'GET', '/api/me/requests', { session: people[key].session! })).json.requests as { id: string; purpose: string; project: { name: string; purpose: string }; study: { id: string } }[];
const answer = (key: 'ana' | 'ben', id: string, value: string) => callRoute(answerRoute, 'POST', `/api/me/requests/${id}`, { session: people[key].session!, params: { requestId: id }, body: { answer: value } });

beforeAll(async () => {
  ({ id: adminId } = await signedInUser(['admin']));
  ({ session: engineer } = await signedInUser(['ml_engineer']));
  Object.assign(people.ana, await ingestPatient('REQ-ANA', 2));
  Object.assign(people.ben, await ingestPatient('REQ-BEN', 1));
  await link('ana');
});

describe('usage requests', () => {
  it('ask the patients of studies joining a project with a consent purpose, and tell them', async () => {
    const { consentRequests } = await projectWith('Nodule AI', 'ai_training', [...people.ana.studies, ...people.ben.studies]);
    expect(consentRequests).toBe(3);
    const mine = await requestsOf('ana');
    expect(mine.map((r) => r.study.id).sort()).toEqual([...people.ana.studies].sort());
    expect(mine[0]).toMatchObject({ purpose: 'ai_training', project: { name: 'Nodule AI', purpose: 'Find lung nodules earlier' } });
    const note = await getDb().notification.findFirstOrThrow({ where: { userId: people.ana.userId!, kind: 'consent' } });
    expect(note.body).toContain('"Nodule AI" asks to use 2 of your studies for ai training');
    // A project without a consent purpose asks nobody.
    expect((await projectWith('Labels only', null, people.ana.studies)).consentRequests).toBe(0);
  });

  it('are answered as consent decisions, with their ledger entries; an answered one cannot be answered again', async () => {
    const [first, second] = await requestsOf('ana');
    const approved = await answer('ana', first!.id, 'approve');
    expect(approved.status).toBe(201);
    const entry = await getDb().ledgerEntry.findUniqueOrThrow({ where: { seq: (approved.json.decision as { ledgerSeq: number }).ledgerSeq } });
    expect(entry.type).toBe('consent.granted');
    expect((await answer('ana', second!.id, 'decline')).status).toBe(201);
    expect((await answer('ana', second!.id, 'approve')).status).toBe(409);
    const usable = await canUse(people.ana.studies, 'ai_training');
    expect(usable.get(first!.study.id)).toMatchObject({ usable: true, state: 'granted' });
    expect(usable.get(second!.study.id)).toMatchObject({ usable: false, state: 'denied' });
    expect(await requestsOf('ana')).toEqual([]);
    // Another project with the same purpose asks nobody who decided.
    expect((await projectWith('Nodule AI 2', 'ai_training', people.ana.studies)).consentRequests).toBe(0);
  });

  it('are made for the studies already in a project when its consent purpose is declared later, by its managers only', async () => {
    const { id } = await projectWith('Teaching file', null, people.ana.studies);
    const patch = (body: unknown, session = engineer) => callRoute(projectRoute, 'PATCH', `/api/projects/${id}`, { session, params: { projectId: id }, body });
    expect((await patch({ consentPurpose: 'education' }, people.ana.session!)).status).toBe(403);
    expect((await patch({ consentPurpose: 'gossip' })).status).toBe(400);
    const declared = await patch({ consentPurpose: 'education' });
    expect(declared.json).toEqual({ consentPurpose: 'education', consentRequests: 2 });
    expect((await requestsOf('ana')).map((r) => r.purpose)).toEqual(['education', 'education']);
    // Declared again: nobody is asked twice.
    expect((await patch({ consentPurpose: 'education' })).json).toEqual({ consentPurpose: 'education', consentRequests: 0 });
    expect((await patch({ consentPurpose: null })).json).toEqual({ consentPurpose: null, consentRequests: 0 });
  });

  it('wait for a patient without an account, who sees them once they claim their studies; "all my studies" answers them', async () => {
    await link('ben');
    const [pending] = await requestsOf('ben');
    expect(pending!.study.id).toBe(people.ben.studies[0]);
    // Ana cannot answer Ben's request.
    expect((await answer('ana', pending!.id, 'approve')).status).toBe(404);
    expect((await answer('ben', pending!.id, 'maybe')).status).toBe(400);
    // Ben allows AI training for all his studies: the request is answered by it.
    expect((await callRoute(consentsRoute, 'POST', '/api/me/consents', { session: people.ben.session!, body: { studyId: null, purpose: 'ai_training', decision: 'granted' } })).status).toBe(201);
    expect(await requestsOf('ben')).toEqual([]);
    expect((await getDb().consentRequest.findUniqueOrThrow({ where: { id: pending!.id } })).status).toBe('approved');
  });
});
