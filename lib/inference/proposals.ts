import type { SessionUser } from '@/lib/auth/session-user';
import { getDb, type Tx } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import { requireProjectAccess } from '@/lib/projects/project-access';
import { getBlobStore } from '@/lib/storage/get-blob-store';
import { decodeProposalContent, type ProposalContent, type ProposalTask } from './proposal-content';

/** What a reader is told about a model's proposal for a series, and where it came from. */
export type ProposalSummary = {
  id: string;
  task: ProposalTask;
  seriesInstanceUid: string;
  modelName: string;
  modelVersion: string;
  modelSha256: string;
  createdAt: string;
  /** Voxels per segment value (segmentation), boxes per region class (detection), probability per choice (classification). */
  counts: Record<string, number>;
};

/** A proposal with what it proposes: a labelmap (rle1, base64) for segmentation, boxes or an answer otherwise. */
export type ProposalView = ProposalSummary &
  ({ labelmap: { seriesInstanceUid: string; columns: number; rows: number; slices: number; rle: string }; content?: never } | { content: ProposalContent; labelmap?: never });

type ProposalRow = Awaited<ReturnType<ReturnType<typeof getDb>['aiProposal']['findUniqueOrThrow']>>;

const summary = (p: ProposalRow): ProposalSummary => ({
  id: p.id,
  task: p.task as ProposalTask,
  seriesInstanceUid: p.seriesInstanceUid,
  modelName: p.modelName,
  modelVersion: p.modelVersion,
  modelSha256: p.modelSha256,
  createdAt: p.createdAt.toISOString(),
  counts: JSON.parse(p.counts) as Record<string, number>,
});

/** The newest proposal of each model for each series of a study in a project (what the viewer offers to start from). */
export async function proposalsForStudy(projectId: string, studyId: string): Promise<ProposalSummary[]> {
  const rows = await getDb().aiProposal.findMany({ where: { projectId, studyId }, orderBy: { createdAt: 'desc' } });
  const newest = new Map<string, ProposalRow>();
  for (const row of rows) {
    const key = `${row.seriesInstanceUid}/${row.modelName}`;
    if (!newest.has(key)) newest.set(key, row);
  }
  return [...newest.values()].map(summary);
}

/** A proposal with what it proposes, for the project's members and managers; NOT_FOUND otherwise. */
export async function getProposal(user: Pick<SessionUser, 'id' | 'roles'>, proposalId: string): Promise<ProposalView> {
  const row = await getDb().aiProposal.findUnique({ where: { id: proposalId } });
  if (!row) throw new AppError('NOT_FOUND', 'No such proposal.');
  await requireProjectAccess(user, row.projectId);
  const bytes = await getBlobStore().read(row.outputSha256);
  if (row.task !== 'segmentation') return { ...summary(row), content: decodeProposalContent(bytes) };
  return { ...summary(row), labelmap: { seriesInstanceUid: row.seriesInstanceUid, columns: row.columns, rows: row.rows, slices: row.slices, rle: Buffer.from(bytes).toString('base64') } };
}

/** Refuses a label citing a proposal that is not one of its own study's in its project, for that series. */
export async function requireProposalsOf(tx: Tx, { projectId, studyId }: { projectId: string; studyId: string }, cited: readonly { seriesInstanceUid: string; proposalId: string }[]): Promise<void> {
  if (cited.length === 0) return;
  const rows = await tx.aiProposal.findMany({ where: { id: { in: cited.map((c) => c.proposalId) } }, select: { id: true, projectId: true, studyId: true, seriesInstanceUid: true } });
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const c of cited) {
    const row = byId.get(c.proposalId);
    if (!row || row.projectId !== projectId || row.studyId !== studyId || row.seriesInstanceUid !== c.seriesInstanceUid) {
      throw new AppError('BAD_REQUEST', `Proposal ${c.proposalId} is not a proposal for series ${c.seriesInstanceUid} of this study.`);
    }
  }
}
