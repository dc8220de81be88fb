/** What a study may be used for: each needs its own consent. */
export const CONSENT_PURPOSES = ['research', 'ai_training', 'commercial', 'education', 'public_release'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

/** How a patient reads each purpose in the portal. */
export const PURPOSE_TEXT: Record<ConsentPurpose, { label: string; explained: string }> = {
  research: { label: 'Research', explained: 'Medical research by the hospital and the research groups it works with.' },
  ai_training: { label: 'AI training', explained: 'Teaching computer programs (AI models) to read images like yours.' },
  commercial: { label: 'Commercial products', explained: 'Companies building products, for example software sold to hospitals.' },
  education: { label: 'Teaching', explained: 'Training doctors and students.' },
  public_release: { label: 'Open datasets', explained: 'Published for anyone to download, always without your name or other details that identify you.' },
};

/** The purposes as choices for a select (pages hand them to components, which do not import lib/). */
export const PURPOSE_OPTIONS = CONSENT_PURPOSES.map((value) => ({ value, label: PURPOSE_TEXT[value].label }));

export const CONSENT_DECISIONS = ['granted', 'denied', 'revoked'] as const;
export type ConsentDecisionKind = (typeof CONSENT_DECISIONS)[number];

/**
 * The consent text decisions are made under. A new text gets a new version; every decision records
 * the version it was made under.
 */
export const CONSENT_POLICY = {
  version: '2026-11-1',
  summary:
    'Only de-identified copies of your images and their labels are ever shared: without your name, dates of birth, or numbers that identify you. You can change any decision at any time; a revocation keeps your study out of every dataset published afterwards, and datasets already published are flagged so that their holders see it.',
} as const;
