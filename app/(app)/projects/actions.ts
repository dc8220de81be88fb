'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { safeAction } from '@/app/_lib/safe-action';
import { reviewAnnotation, startReview } from '@/lib/annotations/review-annotation';
import { ZCommentInput, ZReviewInput } from '@/lib/annotations/schemas';
import { preannotateAddedStudies } from '@/lib/inference/start-preannotation';
import { addProjectStudies } from '@/lib/projects/add-project-studies';
import { setProjectArchived } from '@/lib/projects/archive-project';
import { addComment } from '@/lib/projects/comments';
import { addSchemaVersion } from '@/lib/projects/add-schema-version';
import { createProject } from '@/lib/projects/create-project';
import { requireProjectAccess } from '@/lib/projects/project-access';
import { removeProjectStudy } from '@/lib/projects/remove-project-study';
import { ZAddProjectStudiesInput, ZArchiveProjectInput, ZCreateProjectInput, ZProjectModelInput, ZProjectMembersInput, ZProjectSeriesRuleInput, ZRemoveProjectStudyInput, ZSchemaVersionInput, ZSeriesChoiceInput } from '@/lib/projects/schemas';
import { setProjectMembers } from '@/lib/projects/set-project-members';
import { setProjectModel } from '@/lib/projects/set-project-model';
import { setProjectSeriesRule } from '@/lib/projects/set-project-series-rule';
import { setSeriesChoice } from '@/lib/projects/set-series-choice';

const MANAGE = { roles: ['ml_engineer' as const, 'admin' as const] };
const REVIEW = { roles: ['radiologist' as const] };
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
    const { added, alreadyIn, addedStudyIds, consentRequests } = await addProjectStudies({ projectId, input: add });
    const preannotation = await preannotateAddedStudies(user, projectId, addedStudyIds);
    revalidatePath(`/projects/${projectId}`);
    return { added, alreadyIn, consentRequests, preannotation };
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

export const setProjectModelAction = safeAction(
  ZProjectId.extend(ZProjectModelInput.shape),
  async ({ projectId, modelName }, user) => {
    const result = await setProjectModel({ user, projectId, modelName });
    revalidatePath(`/projects/${projectId}`);
    return result;
  },
  MANAGE,
);

export const setProjectSeriesRuleAction = safeAction(
  ZProjectId.extend(ZProjectSeriesRuleInput.shape),
  async ({ projectId, seriesRule }, user) => {
    const result = await setProjectSeriesRule({ user, projectId, input: { seriesRule } });
    revalidatePath(`/projects/${projectId}`);
    return result;
  },
  MANAGE,
);

export const setSeriesChoiceAction = safeAction(
  ZProjectId.extend({ studyId: z.string().min(1).max(64), seriesInstanceUid: z.string().min(1).max(64), ...ZSeriesChoiceInput.shape }),
  async (input, user) => {
    const result = await setSeriesChoice({ user, ...input });
    revalidatePath(`/projects/${input.projectId}/studies/${input.studyId}`);
    return result;
  },
  MANAGE,
);

export const archiveProjectAction = safeAction(
  ZProjectId.extend(ZArchiveProjectInput.shape),
  async ({ projectId, archived }, user) => {
    const result = await setProjectArchived({ user, projectId, archived });
    revalidatePath('/projects');
    revalidatePath(`/projects/${projectId}`);
    return { archived: result.archivedAt !== null };
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

export const startReviewAction = safeAction(
  z.object({ annotationId: z.string().min(1).max(64), projectId: z.string().min(1).max(64), studyId: z.string().min(1).max(64) }),
  async ({ annotationId, projectId, studyId }, user) => {
    const result = await startReview({ user, annotationId });
    revalidatePath(`/projects/${projectId}/studies/${studyId}`);
    return result;
  },
  REVIEW,
);

export const reviewAction = safeAction(
  z.object({ annotationId: z.string().min(1).max(64), projectId: z.string().min(1).max(64), studyId: z.string().min(1).max(64), review: ZReviewInput }),
  async ({ annotationId, projectId, studyId, review }, user) => {
    const result = await reviewAnnotation({ user, annotationId, input: review });
    revalidatePath(`/projects/${projectId}/studies/${studyId}`);
    revalidatePath(`/projects/${projectId}`);
    return result;
  },
  REVIEW,
);

export const addCommentAction = safeAction(
  ZProjectId.extend({ studyId: z.string().min(1).max(64) }).extend(ZCommentInput.shape),
  async ({ projectId, studyId, body }, user) => {
    const comment = await addComment({ user, projectId, studyId, body });
    revalidatePath(`/projects/${projectId}/studies/${studyId}`);
    return comment;
  },
  { roles: ['radiologist'] },
);
