/** Why a study of the dataset's projects is not in it. A study can have several reasons. */
export const EXCLUSION_REASONS = [
  'modality',
  'date',
  'burned_in',
  'no_label',
  'label_not_accepted',
  'class',
  'consent_none',
  'consent_denied',
  'consent_revoked',
  'consent_expired',
] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

/** How the preview explains each reason (pages hand these to components). */
export const EXCLUSION_TEXT: Record<ExclusionReason, string> = {
  modality: 'Not of the chosen modalities',
  date: 'Outside the chosen dates',
  burned_in: 'Images may show burned-in text',
  no_label: 'Not labeled yet',
  label_not_accepted: 'Label not accepted by a reviewer',
  class: 'None of the chosen classes',
  consent_none: 'No recorded consent for this use',
  consent_denied: 'Patient declined this use',
  consent_revoked: 'Patient revoked consent',
  consent_expired: 'Consent expired',
};
