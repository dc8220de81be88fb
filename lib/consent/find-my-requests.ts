import { getDb } from '@/lib/db/client';
import type { ConsentPurpose } from './purposes';

export type MyRequest = {
  id: string;
  purpose: ConsentPurpose;
  /** Who asks: the project, what it is for in its own words, and the person who set it up. */
  project: { name: string; purpose: string; requestedBy: string };
  study: { id: string; date: string; description: string; modalities: string[] };
  createdAt: string;
};

/** The requests waiting for this patient account's answer, oldest first. */
export async function findMyRequests(userId: string): Promise<MyRequest[]> {
  const db = getDb();
  const rows = await db.consentRequest.findMany({
    where: { status: 'pending', patient: { link: { userId } } },
    orderBy: { createdAt: 'asc' },
    include: { project: { select: { name: true, purpose: true, createdById: true } } },
  });
  const [studies, people] = await Promise.all([
    db.study.findMany({ where: { id: { in: rows.map((r) => r.studyId) } }, select: { id: true, studyDate: true, description: true, modalities: true } }),
    db.user.findMany({ where: { id: { in: rows.map((r) => r.project.createdById) } }, select: { id: true, name: true } }),
  ]);
  const studyOf = new Map(studies.map((s) => [s.id, s]));
  const nameOf = new Map(people.map((p) => [p.id, p.name]));
  return rows.flatMap((r) => {
    const study = studyOf.get(r.studyId);
    if (!study) return [];
    return [
      {
        id: r.id,
        purpose: r.purpose as ConsentPurpose,
        project: { name: r.project.name, purpose: r.project.purpose, requestedBy: nameOf.get(r.project.createdById) ?? 'a Cohort user' },
        study: { id: study.id, date: study.studyDate, description: study.description, modalities: study.modalities ? study.modalities.split('\\') : [] },
        createdAt: r.createdAt.toISOString(),
      },
    ];
  });
}
