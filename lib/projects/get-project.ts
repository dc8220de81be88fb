import type { ConsentPurpose } from '@/lib/consent/purposes';
import { getDb } from '@/lib/db/client';
import type { SessionUser } from '@/lib/auth/session-user';
import type { LabelSchema } from '@/lib/annotations/label-schema';
import { patientIdOf } from '@/lib/dicom/patient-key.client';
import { requireProjectAccess, type ProjectAccess } from './project-access';
import type { ProjectRole } from './schemas';
import { parseStoredSchema } from './schema-version';
import { holdsImages } from '@/lib/dicom/holds-images.client';
import { selectsSeries, storedSeriesRule, type SeriesRule } from './series-rule.client';
import { findSeriesSelection } from './series-selection';

export type ProjectStudyRow = {
  studyId: string;
  studyDate: string;
  description: string;
  modalities: string[];
  seriesCount: number;
  /** How many of its image series the project labels (its series rule, and choices by hand): 0 says the study needs a look. */
  seriesToLabel: number;
  imageSeriesCount: number;
  instanceCount: number;
  /** Shown to the project's readers and reviewers (who read the images anyway), never to managers alone. */
  patientName: string | null;
  patientId: string | null;
  /** One entry per reader copy. */
  annotations: { annotationId: string; readerId: string; readerName: string; status: string; version: number }[];
  addedAt: Date;
};

export type ProjectDetail = {
  id: string;
  name: string;
  purpose: string;
  modalities: string[];
  /** Which series of its studies are labeled. */
  seriesRule: SeriesRule;
  readersPerStudy: number;
  /** The model that pre-annotates its studies as they join, or none. */
  modelName: string | null;
  /** The use its labels and datasets need consent for, or none declared. */
  consentPurpose: ConsentPurpose | null;
  createdAt: Date;
  /** Set while the project is archived (read-only, seen by managers only). */
  archivedAt: Date | null;
  schema: { version: number; hash: string; schema: LabelSchema; createdAt: Date };
  schemaVersions: number;
  members: { userId: string; name: string; email: string; role: ProjectRole }[];
  studies: ProjectStudyRow[];
  access: ProjectAccess;
};

/** A project as its page shows it; NOT_FOUND unless the user may see it. */
export async function getProject(user: Pick<SessionUser, 'id' | 'roles'>, projectId: string): Promise<ProjectDetail> {
  const access = await requireProjectAccess(user, projectId);
  const showPatients = access.roles.length > 0;
  const db = getDb();
  const [project, schema, schemaVersions, annotations, series, selection] = await Promise.all([
    db.project.findUniqueOrThrow({
      where: { id: projectId },
      include: {
        members: { include: { user: { select: { name: true, email: true } } }, orderBy: { addedAt: 'asc' } },
        studies: {
          orderBy: { addedAt: 'asc' },
          include: { study: { include: { patient: { select: { name: true, patientKey: true } } } } },
        },
      },
    }),
    db.labelSchemaVersion.findFirstOrThrow({ where: { projectId }, orderBy: { version: 'desc' } }),
    db.labelSchemaVersion.count({ where: { projectId } }),
    db.annotation.findMany({ where: { projectId }, select: { id: true, studyId: true, readerId: true, status: true, version: true } }),
    db.series.findMany({ where: { study: { projects: { some: { projectId } } } }, select: { studyId: true, seriesInstanceUid: true, modality: true, description: true } }),
    findSeriesSelection(projectId),
  ]);
  const seriesCounts = new Map<string, { images: number; toLabel: number }>();
  for (const s of series.filter((x) => holdsImages(x.modality))) {
    const counts = seriesCounts.get(s.studyId) ?? { images: 0, toLabel: 0 };
    counts.images += 1;
    if (selectsSeries(selection, s)) counts.toLabel += 1;
    seriesCounts.set(s.studyId, counts);
  }
  const names = new Map(project.members.map((m) => [m.userId, m.user.name]));
  const copies = new Map<string, typeof annotations>();
  for (const a of annotations) {
    if (copies.has(a.studyId)) copies.get(a.studyId)!.push(a);
    else copies.set(a.studyId, [a]);
  }
  return {
    id: project.id,
    name: project.name,
    purpose: project.purpose,
    modalities: project.modalities ? project.modalities.split('\\') : [],
    seriesRule: storedSeriesRule(project),
    readersPerStudy: project.readersPerStudy,
    modelName: project.modelName,
    consentPurpose: project.consentPurpose as ConsentPurpose | null,
    createdAt: project.createdAt,
    archivedAt: project.archivedAt,
    schema: { version: schema.version, hash: schema.hash, schema: parseStoredSchema(schema.schema), createdAt: schema.createdAt },
    schemaVersions,
    members: project.members.map((m) => ({ userId: m.userId, name: m.user.name, email: m.user.email, role: m.role as ProjectRole })),
    studies: project.studies.map(({ study, addedAt }) => ({
      studyId: study.id,
      studyDate: study.studyDate,
      description: study.description,
      modalities: study.modalities ? study.modalities.split('\\') : [],
      seriesCount: study.seriesCount,
      seriesToLabel: seriesCounts.get(study.id)?.toLabel ?? 0,
      imageSeriesCount: seriesCounts.get(study.id)?.images ?? 0,
      instanceCount: study.instanceCount,
      patientName: showPatients ? study.patient.name : null,
      patientId: showPatients ? patientIdOf(study.patient.patientKey) : null,
      annotations: (copies.get(study.id) ?? []).map((a) => ({ annotationId: a.id, readerId: a.readerId, readerName: names.get(a.readerId) ?? 'Former member', status: a.status, version: a.version })),
      addedAt,
    })),
    access,
  };
}
