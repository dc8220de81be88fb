import type { SessionUser } from '@/lib/auth/session-user';
import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import type { LabelSchema } from '@/lib/annotations/label-schema';
import { findReaderLabels } from '@/lib/annotations/reader-labels';
import { studyAgreement, type AnswerAgreement, type PairAgreement } from '@/lib/annotations/study-agreement';
import { patientIdOf } from '@/lib/dicom/patient-key.client';
import { findComments, type CommentView } from './comments';
import { requireProjectAccess, type ProjectAccess } from './project-access';
import { parseStoredSchema } from './schema-version';
import { findProjectStudySeries, type ProjectSeriesView } from './study-series';

export type ReaderCopy = {
  annotationId: string;
  readerId: string;
  readerName: string;
  status: string;
  version: number;
  voxels: Record<string, number>;
  regions: number;
  measurements: number;
  answers: { questionId: string; choiceIds: string[]; seriesInstanceUid?: string | undefined }[];
};

export type ProjectStudyView = {
  project: { id: string; name: string; readersPerStudy: number };
  schema: LabelSchema;
  study: { id: string; studyInstanceUid: string; description: string; studyDate: string; modalities: string[]; patientName: string | null; patientId: string | null };
  access: ProjectAccess;
  /** The study's series, and whether the project labels each. */
  series: ProjectSeriesView[];
  /** Readers see their own copy only (independent reads); reviewers and managers see every copy. */
  copies: ReaderCopy[];
  /** Readers who started but have not saved yet. */
  started: number;
  agreement: { segments: PairAgreement[]; answers: AnswerAgreement[] } | null;
  comments: CommentView[];
};

/** One study of a project as its review page shows it. */
export async function getProjectStudy(user: Pick<SessionUser, 'id' | 'roles'>, projectId: string, studyId: string): Promise<ProjectStudyView> {
  const access = await requireProjectAccess(user, projectId);
  const db = getDb();
  const item = await db.projectStudy.findUnique({
    where: { projectId_studyId: { projectId, studyId } },
    include: { project: true, study: { include: { patient: { select: { name: true, patientKey: true } } } } },
  });
  if (!item) throw new AppError('NOT_FOUND', 'The study is not in this project.');
  const schemaRow = await db.labelSchemaVersion.findFirstOrThrow({ where: { projectId }, orderBy: { version: 'desc' } });
  const schema = parseStoredSchema(schemaRow.schema);
  const seesAll = access.canManage || access.roles.includes('reviewer');
  const labels = (await findReaderLabels(projectId, [studyId])).filter((l) => seesAll || l.readerId === user.id);
  const started = await db.annotation.count({ where: { projectId, studyId, version: 0 } });
  const member = access.roles.length > 0;
  return {
    project: { id: item.project.id, name: item.project.name, readersPerStudy: item.project.readersPerStudy },
    schema,
    study: {
      id: item.study.id,
      studyInstanceUid: item.study.studyInstanceUid,
      description: item.study.description,
      studyDate: item.study.studyDate,
      modalities: item.study.modalities ? item.study.modalities.split('\\') : [],
      patientName: member ? item.study.patient.name : null,
      patientId: member ? patientIdOf(item.study.patient.patientKey) : null,
    },
    access,
    series: await findProjectStudySeries(projectId, studyId),
    copies: labels.map((l) => ({
      annotationId: l.annotationId,
      readerId: l.readerId,
      readerName: l.readerName,
      status: l.status,
      version: l.version,
      voxels: [...l.labelmaps.values()].reduce<Record<string, number>>((sum, m) => {
        for (const [v, n] of Object.entries(m.counts)) sum[v] = (sum[v] ?? 0) + n;
        return sum;
      }, {}),
      regions: l.content.regions.length,
      measurements: l.content.measurements.length,
      answers: l.content.answers,
    })),
    started,
    agreement: seesAll && labels.length >= 2 ? await studyAgreement(labels, schema) : null,
    comments: await findComments(user, projectId, studyId),
  };
}
