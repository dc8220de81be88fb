import { getDb } from '@/lib/db/client';
import { seriesOfContent } from './content-series.client';
import type { AnnotationContent } from './schemas';

/**
 * The series a reader's label already holds something on, in its latest version or its draft (by
 * series UID, and by series id for labelmaps). Labels made before a manager narrowed the project's
 * series stay editable: the reader can keep or erase them, and nothing they drew is refused later.
 */
export async function labeledSeries(annotationId: string, version: number): Promise<{ uids: Set<string>; ids: Set<string> }> {
  const db = getDb();
  const [latest, draft] = await Promise.all([
    version > 0 ? db.annotationVersion.findFirst({ where: { annotationId, version }, select: { content: true, labelmaps: { select: { seriesId: true } } } }) : null,
    db.annotationDraft.findUnique({ where: { annotationId }, select: { payload: true } }),
  ]);
  const uids = new Set<string>();
  const ids = new Set<string>(latest?.labelmaps.map((l) => l.seriesId) ?? []);
  if (latest) for (const uid of seriesOfContent(JSON.parse(latest.content) as AnnotationContent)) uids.add(uid);
  if (draft) {
    const payload = JSON.parse(draft.payload) as { content: AnnotationContent; labelmaps: { seriesId: string; seriesInstanceUid: string }[] };
    for (const uid of seriesOfContent(payload.content)) uids.add(uid);
    for (const l of payload.labelmaps) ids.add(l.seriesId);
  }
  return { uids, ids };
}
