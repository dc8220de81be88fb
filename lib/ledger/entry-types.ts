import { z } from 'zod';

/**
 * What may be written into a ledger entry. Entries are public to anyone holding a dataset, so they
 * carry no PHI: values are opaque tokens (ids, salted hashes, enums: no spaces, no '@'), numbers and
 * booleans, never free text. Each domain tightens the payload of its own types when it lands.
 */
const TOKEN = /^[A-Za-z0-9_.:=-]{1,128}$/;
export const ZToken = z.string().regex(TOKEN, 'an opaque id, hash or enum value (letters, digits, _ . : = -)');

const ZScalar = z.union([ZToken, z.number().finite(), z.boolean(), z.null()]);
const ZFactValue = z.union([ZScalar, z.array(ZScalar).max(1000)]);
export const ZFacts = z.record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,63}$/), ZFactValue).refine(
  (facts) => Object.keys(facts).length <= 64,
  'at most 64 facts per entry',
);

export const LEDGER_ENTRY_TYPES = [
  'study.ingested',
  'annotation.created',
  'annotation.edited',
  'annotation.submitted',
  'annotation.reviewed',
  'model.registered',
  'inference.completed',
  'consent.granted',
  'consent.denied',
  'consent.revoked',
  'dataset.published',
  'dataset.shared',
  'share_link.created',
  'share_link.revoked',
] as const;
export type LedgerEntryType = (typeof LEDGER_ENTRY_TYPES)[number];

export const ZNewLedgerEntry = z.object({
  type: z.enum(LEDGER_ENTRY_TYPES),
  /** A pseudonym (lib/ledger/pseudonym.ts) or "system"; never a name, email or patient identifier. */
  actor: z.string().regex(/^(p_[a-z2-7]{26}|system)$/, 'a pseudonym from pseudonymOf(), or "system"'),
  /** What the fact is about: opaque references (internal ids, salted hashes). */
  subjects: z.array(ZToken).max(100).default([]),
  payload: ZFacts.default({}),
});
export type NewLedgerEntry = z.input<typeof ZNewLedgerEntry>;
