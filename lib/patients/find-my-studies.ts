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
  /** The published dataset versions that hold it, where anyone with the CID can fetch them (de-identified). */
  datasets: { name: string; version: number; purpose: string; rootCid: string; publishedAt: string }[];
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
      datasetVersions: {
        where: { version: { status: 'published' } },
        select: { version: { select: { version: true, rootCid: true, publishedAt: true, dataset: { select: { name: true, purpose: true } } } } },
      },
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
    datasets: s.datasetVersions
      .map(({ version: v }) => ({ name: v.dataset.name, version: v.version!, purpose: v.dataset.purpose, rootCid: v.rootCid!, publishedAt: v.publishedAt!.toISOString() }))
      .sort((a, b) => b.publishedAt.localeCompare(a.publishedAt)),
  }));
}
