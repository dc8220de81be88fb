import type { ShareLink } from '@/lib/db/client';

/** A link as the patient's list shows it: never its token (which Cohort no longer knows). */
export type ShareLinkView = {
  id: string;
  studyId: string;
  label: string;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  status: 'active' | 'expired' | 'revoked';
};

export function toShareLinkView(row: ShareLink, now = new Date()): ShareLinkView {
  return {
    id: row.id,
    studyId: row.studyId,
    label: row.label,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    status: row.revokedAt ? 'revoked' : row.expiresAt <= now ? 'expired' : 'active',
  };
}
