import type { SessionUser } from '@/lib/auth/session-user';
import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import { appendEntries } from '@/lib/ledger/append-entry';
import type { NewLedgerEntry } from '@/lib/ledger/entry-types';
import { pseudonymOf, studyReference } from '@/lib/ledger/pseudonym';
import { recordProposalEdits } from '@/lib/inference/proposal-edits';
import { requireProposalsOf } from '@/lib/inference/proposals';
import { getBlobStore } from '@/lib/storage/get-blob-store';
import { requireAnnotationAccess } from './annotation-access';
import { labelChanges } from './label-changes';
import { prepareLabel, type PreparedLabel } from './prepare-label';
import type { SaveAnnotationInput } from './schemas';

/** Statuses in which a reader may still change their label. */
const EDITABLE = new Set(['in_progress', 'changes_requested']);

export type SaveResult = { annotationId: string; version: number; status: string; contentHash: string; savedAs: 'draft' | 'version' };

/**
 * Saves a reader's label. An autosave overwrites the draft (what a closed tab leaves behind); a save
 * or submit writes the next immutable version, its labelmaps (content-addressed blobs: an unchanged
 * series costs nothing) and its ledger entries in one transaction. `baseVersion` must be the latest
 * version: two tabs of one reader never overwrite each other silently.
 */
export async function saveAnnotation({ user, annotationId, input }: { user: Pick<SessionUser, 'id' | 'roles'>; annotationId: string; input: SaveAnnotationInput }): Promise<SaveResult> {
  const annotation = await requireAnnotationAccess(user, annotationId, 'edit');
  if (!EDITABLE.has(annotation.status)) throw new AppError('CONFLICT', `This label is ${annotation.status.replace('_', ' ')}: it can no longer be edited.`);
  if (input.baseVersion !== annotation.version) throw staleVersion(annotation.version);
  const label = await prepareLabel({ projectId: annotation.projectId, studyId: annotation.studyId, annotation, input });
  await requireProposalsOf(getDb(), annotation, input.proposals);
  // Blobs first: content-addressed and idempotent, so one left by a failed transaction is harmless.
  const blobs = getBlobStore();
  const stored = await Promise.all(label.labelmaps.map(async (l) => ({ ...l, ...(await blobs.put(l.rle)) })));
  const payload = JSON.stringify({ content: JSON.parse(label.content), labelmaps: stored.map(({ rle: _, created: __, ...l }) => l), proposals: input.proposals });

  if (input.reason === 'autosave') {
    const now = new Date();
    await getDb().$transaction(async (tx) => {
      const current = await tx.annotation.findUniqueOrThrow({ where: { id: annotationId }, select: { version: true } });
      if (current.version !== input.baseVersion) throw staleVersion(current.version);
      const draft = { baseVersion: input.baseVersion, schemaVersionId: label.schemaVersionId, payload, savedAt: now };
      await tx.annotationDraft.upsert({ where: { annotationId }, create: { annotationId, ...draft }, update: draft });
    });
    return { annotationId, version: annotation.version, status: annotation.status, contentHash: label.contentHash, savedAs: 'draft' };
  }

  return getDb().$transaction(async (tx) => {
    const version = input.baseVersion + 1;
    const status = input.reason === 'submit' ? 'submitted' : annotation.status;
    // The version check and the bump in one statement: of two concurrent saves one wins, one is told.
    const bumped = await tx.annotation.updateMany({
      where: { id: annotationId, version: input.baseVersion },
      data: { version, status, ...(input.reason === 'submit' ? { submittedAt: new Date() } : {}) },
    });
    if (bumped.count !== 1) throw staleVersion((await tx.annotation.findUniqueOrThrow({ where: { id: annotationId } })).version);
    const previous = await tx.annotationVersion.findFirst({ where: { annotationId, version: input.baseVersion }, include: { labelmaps: true } });
    await tx.annotationVersion.create({
      data: {
        annotationId,
        version,
        schemaVersionId: label.schemaVersionId,
        content: label.content,
        contentHash: label.contentHash,
        changes: JSON.stringify(labelChanges(previous, label)),
        proposals: JSON.stringify(input.proposals),
        reason: input.reason,
        authorId: user.id,
        labelmaps: {
          create: stored.map((l) => ({ seriesId: l.seriesId, layer: l.layer, columns: l.columns, rows: l.rows, slices: l.slices, sha256: l.sha256, bytes: l.size, counts: JSON.stringify(l.counts) })),
        },
      },
    });
    if (input.reason === 'submit') {
      await recordProposalEdits(tx, { annotationId, version, openedAt: annotation.createdAt, cited: input.proposals, content: input.content, labelmaps: label.labelmaps });
    }
    await tx.annotationDraft.deleteMany({ where: { annotationId } });
    const study = await tx.study.findUniqueOrThrow({ where: { id: annotation.studyId }, select: { studyInstanceUid: true } });
    await appendEntries(tx, ledgerEntries({ userId: user.id, annotationId, projectId: annotation.projectId, studyUid: study.studyInstanceUid, version, label, submit: input.reason === 'submit' }));
    return { annotationId, version, status, contentHash: label.contentHash, savedAs: 'version' as const };
  });
}

function staleVersion(latest: number): AppError {
  return new AppError('CONFLICT', `This label was saved elsewhere since (now version ${latest}): reload to continue from it.`, { latestVersion: latest });
}

function ledgerEntries(o: { userId: string; annotationId: string; projectId: string; studyUid: string; version: number; label: PreparedLabel; submit: boolean }): NewLedgerEntry[] {
  const subjects = [o.annotationId, studyReference(o.studyUid)];
  const facts = {
    project: o.projectId,
    version: o.version,
    contentHash: o.label.contentHash,
    schemaVersion: o.label.schemaVersion,
    labelmaps: o.label.labelmaps.length,
    voxels: o.label.labelmaps.reduce((n, l) => n + Object.values(l.counts).reduce((a, b) => a + b, 0), 0),
  };
  const actor = pseudonymOf(o.userId);
  const saved: NewLedgerEntry = { type: o.version === 1 ? 'annotation.created' : 'annotation.edited', actor, subjects, payload: facts };
  return o.submit ? [saved, { type: 'annotation.submitted', actor, subjects, payload: { project: o.projectId, version: o.version, contentHash: o.label.contentHash } }] : [saved];
}
