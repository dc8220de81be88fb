import type { SessionUser } from '@/lib/auth/session-user';
import { getDb } from '@/lib/db/client';
import type { LabelSchema } from '@/lib/annotations/label-schema';
import { proposalsForStudy, type ProposalSummary } from '@/lib/inference/proposals';
import { parseStoredSchema } from '@/lib/projects/schema-version';
import { getBlobStore } from '@/lib/storage/get-blob-store';
import { requireAnnotationAccess } from './annotation-access';
import type { LabelChanges } from './label-changes';
import type { AnnotationContent } from './schemas';

/** One layer of a series' labelmap (lib/annotations/labelmap-layers.client.ts). */
export type LabelmapView = { seriesInstanceUid: string; layer: number; columns: number; rows: number; slices: number; rle: string; counts: Record<string, number> };
/** `proposals`: the AI proposals the label started from, per series. */
export type LabelState = { schemaVersion: number; content: AnnotationContent; labelmaps: LabelmapView[]; proposals: ProposalUse[] };
export type ProposalUse = { seriesInstanceUid: string; proposalId: string };

export type AnnotationView = {
  id: string;
  projectId: string;
  studyId: string;
  readerId: string;
  status: string;
  version: number;
  canEdit: boolean;
  /** The project's current schema, which edits are made against. */
  schema: { version: number; hash: string; schema: LabelSchema };
  /** The latest version (null before the first save). */
  saved: (LabelState & { contentHash: string; savedAt: string }) | null;
  /** Unsaved work newer than `saved`, left by autosave. */
  draft: (LabelState & { savedAt: string }) | null;
  history: { version: number; reason: string; author: string; createdAt: string; contentHash: string; changes: LabelChanges }[];
  /** What models proposed for the study's series (the newest per series): a reader may start from one. */
  proposals: ProposalSummary[];
};

/** A stored layer; drafts saved before layers existed say no `layer`: theirs is 0. */
type StoredLabelmap = { seriesId: string; layer?: number; columns: number; rows: number; slices: number; sha256: string; counts: Record<string, number> | string };

/** An annotation with its latest version, its draft and its history, labelmaps as rle1 base64. */
export async function getAnnotation(user: Pick<SessionUser, 'id' | 'roles'>, annotationId: string): Promise<AnnotationView> {
  const annotation = await requireAnnotationAccess(user, annotationId, 'read');
  const db = getDb();
  const [schemaRow, versions, draft] = await Promise.all([
    db.labelSchemaVersion.findFirstOrThrow({ where: { projectId: annotation.projectId }, orderBy: { version: 'desc' } }),
    db.annotationVersion.findMany({ where: { annotationId }, orderBy: { version: 'desc' }, include: { labelmaps: { orderBy: [{ seriesId: 'asc' }, { layer: 'asc' }] }, schemaVersion: { select: { version: true } } } }),
    db.annotationDraft.findUnique({ where: { annotationId } }),
  ]);
  const latest = versions[0];
  const seriesIds = [...new Set([...(latest?.labelmaps ?? []).map((l) => l.seriesId), ...(draft ? draftLabelmaps(draft.payload).map((l) => l.seriesId) : [])])];
  const series = new Map((await db.series.findMany({ where: { id: { in: seriesIds } }, select: { id: true, seriesInstanceUid: true } })).map((s) => [s.id, s.seriesInstanceUid]));
  const authors = new Map((await db.user.findMany({ where: { id: { in: [...new Set(versions.map((v) => v.authorId))] } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]));
  const draftSchema = draft ? await db.labelSchemaVersion.findUnique({ where: { id: draft.schemaVersionId }, select: { version: true } }) : null;

  return {
    id: annotation.id,
    projectId: annotation.projectId,
    studyId: annotation.studyId,
    readerId: annotation.readerId,
    status: annotation.status,
    version: annotation.version,
    canEdit: annotation.readerId === user.id && ['in_progress', 'changes_requested'].includes(annotation.status),
    schema: { version: schemaRow.version, hash: schemaRow.hash, schema: parseStoredSchema(schemaRow.schema) },
    saved: latest
      ? {
          schemaVersion: latest.schemaVersion.version,
          content: JSON.parse(latest.content) as AnnotationContent,
          labelmaps: await Promise.all(latest.labelmaps.map((l) => labelmapView(l, series))),
          proposals: JSON.parse(latest.proposals) as ProposalUse[],
          contentHash: latest.contentHash,
          savedAt: latest.createdAt.toISOString(),
        }
      : null,
    draft:
      draft && draft.baseVersion === annotation.version
        ? {
            schemaVersion: draftSchema?.version ?? schemaRow.version,
            content: (JSON.parse(draft.payload) as { content: AnnotationContent }).content,
            labelmaps: await Promise.all(draftLabelmaps(draft.payload).map((l) => labelmapView(l, series))),
            proposals: (JSON.parse(draft.payload) as { proposals?: ProposalUse[] }).proposals ?? [],
            savedAt: draft.savedAt.toISOString(),
          }
        : null,
    history: versions.map((v) => ({
      version: v.version,
      reason: v.reason,
      author: authors.get(v.authorId) ?? 'Former user',
      createdAt: v.createdAt.toISOString(),
      contentHash: v.contentHash,
      changes: JSON.parse(v.changes) as LabelChanges,
    })),
    proposals: await proposalsForStudy(annotation.projectId, annotation.studyId),
  };
}

function draftLabelmaps(payload: string): StoredLabelmap[] {
  return (JSON.parse(payload) as { labelmaps: StoredLabelmap[] }).labelmaps;
}

async function labelmapView(l: StoredLabelmap, series: Map<string, string>): Promise<LabelmapView> {
  const rle = await getBlobStore().read(l.sha256);
  return {
    seriesInstanceUid: series.get(l.seriesId) ?? '',
    layer: l.layer ?? 0,
    columns: l.columns,
    rows: l.rows,
    slices: l.slices,
    rle: rle.toString('base64'),
    counts: typeof l.counts === 'string' ? (JSON.parse(l.counts) as Record<string, number>) : l.counts,
  };
}
