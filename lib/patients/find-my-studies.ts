import { getDb } from '@/lib/db/client';

export type MyStudy = {
  id: string;
  studyDate: string;
  description: string;
  modalities: string[];
  series: number;
  images: number;
  /** Which of the patient's IDs it was filed under (an account may hold a patient of several hospitals). */
  patientKey: string;
  issuer: string;
  /** The labeling projects that hold it (each may become datasets). */
  usedIn: string[];
};

/** The studies of the patients linked to this account, newest first; nobody else's. */
export async function findMyStudies(userId: string): Promise<MyStudy[]> {
  const rows = await getDb().study.findMany({
    where: { patient: { link: { userId } } },
    orderBy: [{ studyDate: 'desc' }, { createdAt: 'desc' }],
    select: {
      id: true,
      studyDate: true,
      description: true,
      modalities: true,
      seriesCount: true,
      instanceCount: true,
      patient: { select: { patientKey: true, issuer: true } },
      projects: { select: { project: { select: { name: true } } } },
    },
  });
  return rows.map((s) => ({
    id: s.id,
    studyDate: s.studyDate,
    description: s.description,
    modalities: s.modalities ? s.modalities.split('\\') : [],
    series: s.seriesCount,
    images: s.instanceCount,
    patientKey: s.patient.patientKey,
    issuer: s.patient.issuer,
    usedIn: s.projects.map((p) => p.project.name).sort(),
  }));
}
