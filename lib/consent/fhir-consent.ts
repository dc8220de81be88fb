import type { ConsentPurpose } from './purposes';

/** A FHIR R4 Coding. */
type Coding = { system: string; code: string; display?: string };
export type FhirConsent = Record<string, unknown> & { resourceType: 'Consent'; id: string };

/** Cohort's own code system for its purposes: every exported consent carries it, beside a standard code where one exists. */
export const PURPOSE_SYSTEM = 'urn:cohort:consent-purpose';
const ACT_REASON = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';

/** HL7 v3 PurposeOfUse (ActReason) codes for the purposes that have one. */
export const PURPOSE_OF_USE: Partial<Record<ConsentPurpose, Coding>> = {
  research: { system: ACT_REASON, code: 'HRESCH', display: 'healthcare research' },
  ai_training: { system: ACT_REASON, code: 'MLTRAINING', display: 'machine learning training' },
};

/** The system of a patient identifier from its DICOM issuer (Issuer of Patient ID is a name, FHIR wants a URI). */
export const issuerSystem = (issuer: string) => `urn:cohort:issuer:${encodeURIComponent(issuer)}`;

export type ExportableDecision = {
  id: string;
  purpose: ConsentPurpose;
  decision: string;
  validUntil: Date | null;
  createdAt: Date;
  /** When the patient decided, if before it was recorded (imported decisions). */
  signedAt: Date | null;
  policyVersion: string;
  patient: { patientKey: string; issuer: string };
  study: { studyInstanceUid: string } | null;
  /** A newer decision of the patient on the purpose covers this one's scope: it no longer applies. */
  superseded: boolean;
};

/**
 * A consent decision as a FHIR R4 Consent: scope research (secondary use), category LOINC 59284-0
 * (patient consent), the patient by identifier, a provision that permits (a grant) or denies (a denial
 * or revocation) the purpose (HL7 PurposeOfUse where it has a code, always Cohort's own) over the
 * grant's period, for one ImagingStudy (by Study Instance UID) or all of them. A grant is active
 * until it ends or a newer decision covers it; a denial is rejected; a revocation inactive.
 */
export function toFhirConsent(d: ExportableDecision, now = new Date()): FhirConsent {
  const ended = d.decision === 'granted' && d.validUntil !== null && d.validUntil <= now;
  const status = d.decision === 'granted' ? (ended || d.superseded ? 'inactive' : 'active') : d.decision === 'denied' ? 'rejected' : 'inactive';
  const standard = PURPOSE_OF_USE[d.purpose];
  return {
    resourceType: 'Consent',
    id: d.id,
    status,
    scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'research', display: 'Research' }] },
    category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0', display: 'Patient Consent' }] }],
    patient: { identifier: { ...(d.patient.issuer ? { system: issuerSystem(d.patient.issuer) } : {}), value: d.patient.patientKey } },
    dateTime: (d.signedAt ?? d.createdAt).toISOString(),
    policy: [{ uri: `urn:cohort:consent-policy:${d.policyVersion}` }],
    provision: {
      type: d.decision === 'granted' ? 'permit' : 'deny',
      period: { start: d.createdAt.toISOString(), ...(d.validUntil ? { end: d.validUntil.toISOString() } : {}) },
      purpose: [...(standard ? [standard] : []), { system: PURPOSE_SYSTEM, code: d.purpose }],
      ...(d.study ? { data: [{ meaning: 'instance', reference: { type: 'ImagingStudy', identifier: { system: 'urn:dicom:uid', value: `urn:oid:${d.study.studyInstanceUid}` } } }] } : {}),
    },
  };
}
