import { getDb, type Tx } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import { anyGranted } from './any-granted';
import { PURPOSE_OF_USE, PURPOSE_SYSTEM } from './fhir-consent';
import { CONSENT_PURPOSES, type ConsentDecisionKind, type ConsentPurpose } from './purposes';
import { recordDecision } from './record-decision';

/** At most this many resources per import. */
export const MAX_IMPORTED_CONSENTS = 5000;

type Json = Record<string, unknown>;
type Planned = { patient: { id: string; patientKey: string; issuer: string }; study: { id: string; studyInstanceUid: string } | null; purpose: ConsentPurpose; decision: ConsentDecisionKind; validUntil: Date | null; signedAt: Date | null };

const ISSUER_PREFIX = 'urn:cohort:issuer:';
const STUDY_UID = /^urn:oid:([0-9.]{1,64})$/;

/**
 * Imports FHIR R4 Consent resources from a hospital system (a Bundle, an array, or one resource) as
 * consent decisions recorded by the admin (source `fhir_import`), each with its ledger entry. Every
 * resource is checked first: a patient Cohort holds (by identifier), one purpose it knows (Cohort's
 * code or an HL7 PurposeOfUse code it maps), a permit or deny provision, a study of that patient (by
 * Study Instance UID) or none for all. Any problem refuses the whole import (BAD_REQUEST with every
 * problem by resource): nothing is half-imported.
 */
export async function importFhirConsents({ actorId, body }: { actorId: string; body: unknown }): Promise<{ imported: number }> {
  const resources = resourcesOf(body);
  if (resources.length === 0) throw new AppError('BAD_REQUEST', 'No Consent resources to import.');
  if (resources.length > MAX_IMPORTED_CONSENTS) throw new AppError('BAD_REQUEST', `At most ${MAX_IMPORTED_CONSENTS} resources per import.`);
  const db = getDb();
  return db.$transaction(async (tx) => {
    const problems: { index: number; id: string | null; problems: string[] }[] = [];
    const planned: Planned[] = [];
    for (const [index, resource] of resources.entries()) {
      const found: string[] = [];
      const plan = await planOne(tx, resource, found);
      if (plan && found.length === 0) planned.push(plan);
      else problems.push({ index, id: typeof resource.id === 'string' ? resource.id : null, problems: found });
    }
    if (problems.length) {
      throw new AppError('BAD_REQUEST', `${problems.length} of ${resources.length} resources cannot be imported; nothing was imported.`, { resources: problems });
    }
    const now = new Date();
    for (const p of planned) {
      let { decision } = p;
      // "No longer applies" for what is not granted now is a denial, not a revocation.
      if (decision === 'revoked' && !(await anyGranted(tx, p, p.purpose, now))) decision = 'denied';
      await recordDecision(tx, { userId: actorId, patient: p.patient, study: p.study, purpose: p.purpose, decision, validUntil: p.validUntil, source: 'fhir_import', signedAt: p.signedAt });
    }
    return { imported: planned.length };
  });
}

function resourcesOf(body: unknown): Json[] {
  if (Array.isArray(body)) return body as Json[];
  const b = body as Json | null;
  if (b && b.resourceType === 'Bundle') return ((b.entry as { resource?: Json }[] | undefined) ?? []).map((e) => e.resource ?? {});
  if (b && typeof b === 'object') return [b];
  throw new AppError('BAD_REQUEST', 'Send a FHIR Bundle, an array of Consent resources, or one Consent.');
}

async function planOne(tx: Tx, r: Json, problems: string[]): Promise<Planned | null> {
  if (r.resourceType !== 'Consent') {
    problems.push(`resourceType is ${JSON.stringify(r.resourceType)}, not Consent.`);
    return null;
  }
  const status = r.status;
  if (status !== 'active' && status !== 'rejected' && status !== 'inactive') problems.push(`status ${JSON.stringify(status)} cannot be imported (active, rejected or inactive).`);
  const provision = (r.provision ?? {}) as Json;
  const type = provision.type;
  if (type !== 'permit' && type !== 'deny') problems.push('provision.type must be permit or deny.');

  const purposes = new Set<ConsentPurpose>();
  for (const c of (provision.purpose as { system?: string; code?: string }[] | undefined) ?? []) {
    if (c.system === PURPOSE_SYSTEM && (CONSENT_PURPOSES as readonly string[]).includes(c.code ?? '')) purposes.add(c.code as ConsentPurpose);
    for (const [purpose, coding] of Object.entries(PURPOSE_OF_USE)) if (coding.system === c.system && coding.code === c.code) purposes.add(purpose as ConsentPurpose);
  }
  if (purposes.size !== 1) problems.push(purposes.size ? `provision.purpose names several uses (${[...purposes].join(', ')}): one per resource.` : 'provision.purpose has no use Cohort knows (its own codes, HRESCH or MLTRAINING).');

  const identifier = ((r.patient as Json | undefined)?.identifier ?? {}) as { system?: string; value?: string };
  let patient: Planned['patient'] | null = null;
  if (!identifier.value) problems.push('patient.identifier.value is missing: Cohort finds patients by their Patient ID.');
  else {
    const issuer = identifier.system?.startsWith(ISSUER_PREFIX) ? decodeURIComponent(identifier.system.slice(ISSUER_PREFIX.length)) : null;
    const matches = await tx.patient.findMany({ where: { patientKey: identifier.value, ...(issuer !== null ? { issuer } : {}) }, select: { id: true, patientKey: true, issuer: true } });
    if (matches.length === 0) problems.push(`No patient with ID ${identifier.value}${issuer ? ` from ${issuer}` : ''}.`);
    else if (matches.length > 1) problems.push(`Patient ID ${identifier.value} belongs to patients of several issuers: give the issuer.`);
    else patient = matches[0]!;
  }

  let study: Planned['study'] = null;
  const data = (provision.data as { reference?: { identifier?: { value?: string } } }[] | undefined) ?? [];
  if (data.length > 1) problems.push('provision.data names several studies: one per resource.');
  else if (data.length === 1) {
    const uid = STUDY_UID.exec(data[0]!.reference?.identifier?.value ?? '')?.[1];
    if (!uid) problems.push('provision.data[0].reference.identifier.value must be urn:oid:<Study Instance UID>.');
    else {
      const row = await tx.study.findUnique({ where: { studyInstanceUid: uid }, select: { id: true, studyInstanceUid: true, patientId: true } });
      if (!row || (patient && row.patientId !== patient.id)) problems.push(`No study ${uid} of this patient.`);
      else study = row;
    }
  }

  const end = ((provision.period ?? {}) as { end?: string }).end;
  const validUntil = end ? new Date(end) : null;
  if (validUntil && Number.isNaN(validUntil.getTime())) problems.push('provision.period.end is not a date.');
  // When the patient decided, kept as given (the decision applies from now, in the ledger's order).
  const signedAt = typeof r.dateTime === 'string' ? new Date(r.dateTime) : null;
  if (r.dateTime !== undefined && (!signedAt || Number.isNaN(signedAt.getTime()))) problems.push('dateTime is not a date.');
  else if (signedAt && signedAt.getTime() > Date.now() + 60_000) problems.push('dateTime is in the future.');
  if (problems.length || !patient) return null;
  const decision: ConsentDecisionKind = status === 'inactive' ? 'revoked' : type === 'permit' && status === 'active' ? 'granted' : 'denied';
  return { patient, study, purpose: [...purposes][0]!, decision, validUntil: decision === 'granted' ? validUntil : null, signedAt };
}
