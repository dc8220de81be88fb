import type { AnnotationView } from '@/lib/annotations/get-annotation';
import type { SeriesSelection } from '@/lib/projects/series-rule.client';

/**
 * What the viewer page hands the viewer when it is opened to label (…/viewer?project=…). `review`: a
 * reviewer looking at the readers' labels, overlaid and read-only. `seriesSelection`: which series
 * of the study the project labels; the viewer opens on them and marks them.
 */
export type LabelingSetup = { projectId: string; projectName: string; studyId: string; mode: 'label' | 'review'; seriesSelection: SeriesSelection };

export type { AnnotationView };
