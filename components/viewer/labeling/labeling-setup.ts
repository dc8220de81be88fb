import type { AnnotationView } from '@/lib/annotations/get-annotation';

/** What the viewer page hands the viewer when it is opened to label (…/viewer?project=…). */
export type LabelingSetup = { projectId: string; projectName: string; studyId: string };

export type { AnnotationView };
