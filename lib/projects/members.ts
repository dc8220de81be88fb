import type { Tx } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import type { ProjectMembersInput, ProjectRole } from './schemas';

/**
 * Replaces a project's readers and reviewers. Both read the studies with their PHI, so both must be
 * active radiologists; one person may be both (reviewing others' labels, never their own: lib/annotations).
 */
export async function writeMembers(tx: Tx, projectId: string, members: ProjectMembersInput): Promise<void> {
  const ids = [...new Set([...members.readers, ...members.reviewers])];
  const eligible = await tx.user.findMany({
    where: { id: { in: ids }, deactivatedAt: null, roles: { some: { role: 'radiologist' } } },
    select: { id: true },
  });
  const ok = new Set(eligible.map((u) => u.id));
  const refused = ids.filter((id) => !ok.has(id));
  if (refused.length) {
    throw new AppError('BAD_REQUEST', `Readers and reviewers must be active radiologists (${refused.length} chosen are not).`, { users: refused });
  }
  await tx.projectMember.deleteMany({ where: { projectId } });
  const rows = (['reader', 'reviewer'] as const satisfies readonly ProjectRole[]).flatMap((role) =>
    [...new Set(role === 'reader' ? members.readers : members.reviewers)].map((userId) => ({ projectId, userId, role })),
  );
  if (rows.length) await tx.projectMember.createMany({ data: rows });
}
