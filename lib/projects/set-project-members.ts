import { getDb } from '@/lib/db/client';
import { writeMembers } from './members';
import type { ProjectMembersInput } from './schemas';

/** Replaces the project's readers and reviewers. Labels already made stay theirs. */
export async function setProjectMembers({ projectId, members }: { projectId: string; members: ProjectMembersInput }): Promise<void> {
  await getDb().$transaction((tx) => writeMembers(tx, projectId, members));
}
