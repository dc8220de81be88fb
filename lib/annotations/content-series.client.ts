import type { AnnotationContent } from './schemas';

/** The series a label's regions, measurements and per-series answers are on. Shared by server and browser. */
export function seriesOfContent(content: AnnotationContent): string[] {
  return [...content.regions, ...content.measurements, ...content.answers].flatMap((i) => (i.seriesInstanceUid ? [i.seriesInstanceUid] : []));
}
