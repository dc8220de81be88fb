import type { Prisma } from '@/lib/db/generated/sqlite/client';
import { containsInsensitive } from '@/lib/db/contains-insensitive';
import { getDb } from '@/lib/db/client';
import { patientIdOf } from './patient-key.client';
import type { StudyQuery } from './schemas';

export type StudyListRow = {
  id: string;
  studyInstanceUid: string;
  patientName: string;
  patientId: string;
  patientBirthDate: string;
  studyDate: string;
  studyTime: string;
  description: string;
  accessionNumber: string;
  modalities: string[];
  seriesCount: number;
  instanceCount: number;
  receivedAt: Date;
  /** The first series (by number), for a thumbnail. */
  firstSeriesUid: string | null;
  firstSeriesModality: string;
};

export type StudyListPage = { rows: StudyListRow[]; total: number; page: number; pageSize: number };

/**
 * The study list (worklist): filtered by text, modality and study date, sorted, one page at a time.
 * Study dates are DICOM DA strings (YYYYMMDD), so ranges compare as text. `visible` limits it to
 * the studies the user may open (lib/projects/study-access.ts).
 */
export async function findStudies(query: StudyQuery, visible: Prisma.StudyWhereInput): Promise<StudyListPage> {
  const where: Prisma.StudyWhereInput = {
    AND: [
      visible,
      query.q
        ? {
            OR: [
              { patient: { name: containsInsensitive(query.q) } },
              { patient: { patientKey: containsInsensitive(query.q) } },
              { accessionNumber: containsInsensitive(query.q) },
              { description: containsInsensitive(query.q) },
            ],
          }
        : {},
      query.modality ? { series: { some: { modality: query.modality } } } : {},
      query.from ? { studyDate: { gte: query.from.replaceAll('-', '') } } : {},
      query.to ? { studyDate: { lte: query.to.replaceAll('-', ''), not: '' } } : {},
    ],
  };
  const direction = query.order;
  const orderBy: Prisma.StudyOrderByWithRelationInput[] =
    query.sort === 'patient'
      ? [{ patient: { name: direction } }, { studyDate: 'desc' }]
      : query.sort === 'received'
        ? [{ createdAt: direction }]
        : [{ studyDate: direction }, { studyTime: direction }];
  const db = getDb();
  const [total, studies] = await Promise.all([
    db.study.count({ where }),
    db.study.findMany({
      where,
      orderBy: [...orderBy, { id: 'asc' }],
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
      include: {
        patient: { select: { name: true, patientKey: true, birthDate: true } },
        series: { select: { seriesInstanceUid: true, modality: true }, orderBy: [{ seriesNumber: 'asc' }, { createdAt: 'asc' }], take: 1 },
      },
    }),
  ]);
  return {
    total,
    page: query.page,
    pageSize: query.pageSize,
    rows: studies.map((s) => ({
      id: s.id,
      studyInstanceUid: s.studyInstanceUid,
      patientName: s.patient.name,
      // A stand-in key (no Patient ID in the files) is not an ID to show.
      patientId: patientIdOf(s.patient.patientKey),
      patientBirthDate: s.patient.birthDate,
      studyDate: s.studyDate,
      studyTime: s.studyTime,
      description: s.description,
      accessionNumber: s.accessionNumber,
      modalities: s.modalities ? s.modalities.split('\\') : [],
      seriesCount: s.seriesCount,
      instanceCount: s.instanceCount,
      receivedAt: s.createdAt,
      firstSeriesUid: s.series[0]?.seriesInstanceUid ?? null,
      firstSeriesModality: s.series[0]?.modality ?? '',
    })),
  };
}
