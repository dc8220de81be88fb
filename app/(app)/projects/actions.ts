'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { safeAction } from '@/app/_lib/safe-action';
import { addProjectStudies } from '@/lib/projects/add-project-studies';
import { addSchemaVersion } from '@/lib/projects/add-schema-version';
import { createProject } from '@/lib/projects/create-project';
import { requireProjectAccess } from '@/lib/projects/project-access';
import { removeProjectStudy } from '@/lib/projects/remove-project-study';
import { ZAddProjectStudiesInput, ZCreateProjectInput, ZProjectMembersInput, ZRemoveProjectStudyInput, ZSchemaVersionInput } from '@/lib/projects/schemas';
import { setProjectMembers } from '@/lib/projects/set-project-members';

const MANAGE = { roles: ['ml_engineer' as const, 'admin' as const] };
const ZProjectId = z.object({ projectId: z.string().min(1).max(64) });

export const createProjectAction = safeAction(
  ZCreateProjectInput,
  async (input, user) => {
    const created = await createProject({ input, actorId: user.id });
    revalidatePath('/projects');
    return created;
  },
  MANAGE,
);

export const addProjectStudiesAction = safeAction(
  ZProjectId.extend({ add: ZAddProjectStudiesInput }),
  async ({ projectId, add }, user) => {
    await requireProjectAccess(user, projectId, 'manage');
    const result = await addProjectStudies({ projectId, input: add });
    revalidatePath(`/projects/${projectId}`);
    return result;
  },
  MANAGE,
);

export const removeProjectStudyAction = safeAction(
  ZProjectId.extend(ZRemoveProjectStudyInput.shape),
  async ({ projectId, studyId }, user) => {
    await requireProjectAccess(user, projectId, 'manage');
    await removeProjectStudy({ projectId, studyId });
    revalidatePath(`/projects/${projectId}`);
    return { removed: studyId };
  },
  MANAGE,
);

export const setProjectMembersAction = safeAction(
  ZProjectId.extend(ZProjectMembersInput.shape),
  async ({ projectId, ...members }, user) => {
    await requireProjectAccess(user, projectId, 'manage');
    await setProjectMembers({ projectId, members });
    revalidatePath(`/projects/${projectId}`);
    return members;
  },
  MANAGE,
);

export const addSchemaVersionAction = safeAction(
  ZProjectId.extend(ZSchemaVersionInput.shape),
  async ({ projectId, schema }, user) => {
    await requireProjectAccess(user, projectId, 'manage');
    const result = await addSchemaVersion({ projectId, schema, actorId: user.id });
    revalidatePath(`/projects/${projectId}`);
    return result;
  },
  MANAGE,
);
