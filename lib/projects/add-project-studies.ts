import type { ConsentPurpose } from '@/lib/consent/purposes';
import { requestConsent } from '@/lib/consent/request-consent';
import { getDb, type Prisma } from '@/lib/db/client';
import { containsInsensitive } from '@/lib/db/contains-insensitive';
import { AppError } from '@/lib/errors/app-error';
import type { AddProjectStudiesInput } from './schemas';
import { seriesRuleWhere } from './series-rule-where';

/** At most this many studies join a project in one request. */
export const MAX_STUDIES_PER_ADD = 5000;

/**
 * Adds studies to a project: the ids given, or every study a worklist query matches. Studies already
 * in it are skipped; an unknown id refuses the whole request (nothing is added). With a consent
 * purpose, the patients who have not decided on it are asked, in the same transaction.
 */
export async function addProjectStudies({ projectId, input }: { projectId: string; input: AddProjectStudiesInput }): Promise<{ added: number; alreadyIn: number; addedStudyIds: string[]; consentRequests: number }> {
  return getDb().$transaction(async (tx) => {
    let ids: string[];
    if ('studyIds' in input) {
      ids = [...new Set(input.studyIds)];
      const found = await tx.study.count({ where: { id: { in: ids } } });
      if (found !== ids.length) throw new AppError('NOT_FOUND', `${ids.length - found} of the studies do not exist.`);
    } else {
      const rows = await tx.study.findMany({ where: studyQueryWhere(input.query), select: { id: true }, take: MAX_STUDIES_PER_ADD + 1 });
      if (rows.length > MAX_STUDIES_PER_ADD) throw new AppError('BAD_REQUEST', `The query matches more than ${MAX_STUDIES_PER_ADD} studies: narrow it.`);
      ids = rows.map((r) => r.id);
    }
    const existing = new Set(
      (await tx.projectStudy.findMany({ where: { projectId, studyId: { in: ids } }, select: { studyId: true } })).map((r) => r.studyId),
    );
    const fresh = ids.filter((id) => !existing.has(id));
    if (fresh.length) await tx.projectStudy.createMany({ data: fresh.map((studyId) => ({ projectId, studyId })) });
    const { consentPurpose } = await tx.project.findUniqueOrThrow({ where: { id: projectId }, select: { consentPurpose: true } });
    const consentRequests = consentPurpose ? await requestConsent(tx, { projectId, purpose: consentPurpose as ConsentPurpose, studyIds: fresh }) : 0;
    return { added: fresh.length, alreadyIn: existing.size, addedStudyIds: fresh, consentRequests };
  });
}

function studyQueryWhere(query: Extract<AddProjectStudiesInput, { query: unknown }>['query']): Prisma.StudyWhereInput {
  return {
    AND: [
      query.modality || query.seriesDescription ? { series: { some: seriesRuleWhere({ modalities: query.modality ? [query.modality] : [], seriesDescription: query.seriesDescription ?? '' }) } } : {},
      query.description ? { description: containsInsensitive(query.description) } : {},
      query.from ? { studyDate: { gte: query.from.replaceAll('-', '') } } : {},
      query.to ? { studyDate: { lte: query.to.replaceAll('-', ''), not: '' } } : {},
    ],
  };
}
