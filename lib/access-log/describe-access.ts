import { ROLE_LABELS, type Role } from '@/lib/auth/roles';

/** The stored row's facts about its reader, as loaded with its user, token and dataset version. */
export type AccessReader = {
  actor: string;
  role: string | null;
  actorRef: string | null;
  user: { id: string; name: string } | null;
  tokenName: string | null;
  datasetVersion: { name: string; version: number | null } | null;
  /** The share link's label (the patient's own words), or null when the link is gone. */
  shareLabel: string | null;
};

/** Who read a study, in words: "Ada Lovelace (Radiologist)", "the AI model “ct-organs”", "You"… `viewerUserId`: the patient reading their own log. */
export function describeReader(reader: AccessReader, viewerUserId?: string): string {
  const role = reader.role && reader.role in ROLE_LABELS ? ` (${ROLE_LABELS[reader.role as Role]})` : '';
  switch (reader.actor) {
    case 'user':
      if (reader.user && reader.user.id === viewerUserId) return 'You';
      return `${reader.user?.name ?? 'A deleted account'}${role}`;
    case 'access_token':
      return `A program using ${reader.user?.name ?? 'a deleted account'}'s access token${reader.tokenName ? ` “${reader.tokenName}”` : ''}${role}`;
    case 'model':
      return `The AI model “${reader.actorRef ?? 'unknown'}”`;
    case 'dataset_export':
      return reader.datasetVersion
        ? `The export of dataset “${reader.datasetVersion.name}”${reader.datasetVersion.version ? ` (version ${reader.datasetVersion.version})` : ''}`
        : 'A dataset export';
    case 'share_link':
      // The label is the patient's private note: only they see it.
      if (viewerUserId === undefined) return 'Someone with a patient’s share link';
      return `Someone with your share link${reader.shareLabel ? ` “${reader.shareLabel}”` : ''}`;
    default:
      return reader.actor;
  }
}
