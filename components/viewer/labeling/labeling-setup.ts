import type { AnnotationView } from '@/lib/annotations/get-annotation';

/** What the viewer page hands the viewer when it is opened to label (…/viewer?project=…). */
/** `review`: a reviewer looking at the readers' labels, overlaid and read-only. */
export type LabelingSetup = { projectId: string; projectName: string; studyId: string; mode: 'label' | 'review' };

export type { AnnotationView };
