/** A grant as the dataset page lists it: who can open it, with which key, shared by whom and when. */
export type VersionGrantView = {
  id: string;
  versionId: string;
  keyId: string;
  keyLabel: string;
  recipient: string;
  /** The owner removed the key since: no new grant to it, this one stays as it was. */
  keyRevoked: boolean;
  owner: { id: string; name: string; email: string };
  grantedBy: string | null;
  createdAt: string;
  /** The .age file (GET): for the key's owner, and for ML engineers and admins. */
  downloadUrl: string;
};

/** What toVersionGrantViews reads of each grant row. */
export const VERSION_GRANT_SELECT = {
  id: true,
  versionId: true,
  grantedById: true,
  createdAt: true,
  recipientKey: { select: { id: true, label: true, recipient: true, revokedAt: true, user: { select: { id: true, name: true, email: true } } } },
} as const;

type GrantRow = {
  id: string;
  versionId: string;
  grantedById: string;
  createdAt: Date;
  recipientKey: { id: string; label: string; recipient: string; revokedAt: Date | null; user: { id: string; name: string; email: string } };
};

/** Rows selected with VERSION_GRANT_SELECT as views; `granters` names the users who shared them. */
export function toVersionGrantView(r: GrantRow, granters: Map<string, string>): VersionGrantView {
  return {
    id: r.id,
    versionId: r.versionId,
    keyId: r.recipientKey.id,
    keyLabel: r.recipientKey.label,
    recipient: r.recipientKey.recipient,
    keyRevoked: r.recipientKey.revokedAt !== null,
    owner: r.recipientKey.user,
    grantedBy: granters.get(r.grantedById) ?? null,
    createdAt: r.createdAt.toISOString(),
    downloadUrl: grantDownloadUrl(r.versionId, r.id),
  };
}

export function grantDownloadUrl(versionId: string, grantId: string): string {
  return `/api/dataset-versions/${versionId}/grants/${grantId}`;
}

/** The name a grant downloads as: after the version's root CID, which `cohort pull` takes with it. */
export function grantFileName(rootCid: string): string {
  return `cohort-dataset-${rootCid}.key.age`;
}
