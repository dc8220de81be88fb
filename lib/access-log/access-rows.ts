import { getDb, type Prisma } from '@/lib/db/client';
import type { AccessReader } from './describe-access';

/** What both the portal and the admin log read of a row. */
export const ACCESS_ROW_SELECT = {
  id: true,
  at: true,
  studyId: true,
  studyInstanceUid: true,
  seriesInstanceUid: true,
  actor: true,
  role: true,
  accessTokenId: true,
  actorRef: true,
  how: true,
  outcome: true,
  requests: true,
  address: true,
  user: { select: { id: true, name: true, email: true } },
  study: { select: { description: true, studyDate: true, modalities: true } },
} satisfies Prisma.StudyAccessSelect;

export type AccessRow = Prisma.StudyAccessGetPayload<{ select: typeof ACCESS_ROW_SELECT }> & AccessReader;

/** Adds what the rows name by id only (token names, dataset versions, share links), a query each for the whole page. */
export async function withReaders(rows: Prisma.StudyAccessGetPayload<{ select: typeof ACCESS_ROW_SELECT }>[]): Promise<AccessRow[]> {
  const db = getDb();
  const tokenIds = [...new Set(rows.flatMap((r) => (r.accessTokenId ? [r.accessTokenId] : [])))];
  const versionIds = [...new Set(rows.flatMap((r) => (r.actor === 'dataset_export' && r.actorRef ? [r.actorRef] : [])))];
  const linkIds = [...new Set(rows.flatMap((r) => (r.actor === 'share_link' && r.actorRef ? [r.actorRef] : [])))];
  const [tokens, versions, links] = await Promise.all([
    tokenIds.length ? db.accessToken.findMany({ where: { id: { in: tokenIds } }, select: { id: true, name: true } }) : [],
    versionIds.length ? db.datasetVersion.findMany({ where: { id: { in: versionIds } }, select: { id: true, version: true, dataset: { select: { name: true } } } }) : [],
    linkIds.length ? db.shareLink.findMany({ where: { id: { in: linkIds } }, select: { id: true, label: true } }) : [],
  ]);
  const linkLabel = new Map(links.map((l) => [l.id, l.label]));
  const tokenName = new Map(tokens.map((t) => [t.id, t.name]));
  const version = new Map(versions.map((v) => [v.id, { name: v.dataset.name, version: v.version }]));
  return rows.map((r) => ({
    ...r,
    tokenName: r.accessTokenId ? (tokenName.get(r.accessTokenId) ?? null) : null,
    datasetVersion: r.actor === 'dataset_export' && r.actorRef ? (version.get(r.actorRef) ?? null) : null,
    shareLabel: r.actor === 'share_link' && r.actorRef ? (linkLabel.get(r.actorRef) ?? null) : null,
  }));
}
