/** A registered key as lists show it (the recipient is public: it is what files are encrypted to). */
export type RecipientKeyView = {
  id: string;
  label: string;
  recipient: string;
  createdAt: string;
  revokedAt: string | null;
  status: 'active' | 'revoked';
};

export function toRecipientKeyView(row: { id: string; label: string; recipient: string; createdAt: Date; revokedAt: Date | null }): RecipientKeyView {
  return {
    id: row.id,
    label: row.label,
    recipient: row.recipient,
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
    status: row.revokedAt ? 'revoked' : 'active',
  };
}
