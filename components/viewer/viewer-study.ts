import { matchesSeriesRule, type SeriesRule } from '@/lib/projects/series-rule.client';

/** What the viewer page hands the client viewer: display strings and series, no database rows. */
export type ViewerStudy = {
  id: string;
  studyInstanceUid: string;
  description: string;
  date: string;
  patient: string;
  patientId: string;
  series: ViewerSeries[];
  /** Where its DICOMweb is: Cohort's own by default, a share link's (/s/<token>/dicomweb) for one. */
  dicomwebRoot?: string;
};

export type ViewerSeries = {
  seriesInstanceUid: string;
  number: number | null;
  modality: string;
  description: string;
  instanceCount: number;
};

/** Series that hold no images to draw: structured reports, presentation states, key objects. */
const NON_IMAGE_MODALITIES = new Set(['SR', 'PR', 'KO', 'DOC', 'SEG', 'RTSTRUCT', 'REG']);

/**
 * The series a viewer shows first: those with images, in study order; opened to label, the series
 * the project labels come before the others.
 */
export function initialSeries(study: ViewerStudy, rule: SeriesRule | null = null): string[] {
  const images = study.series.filter(hasImages).map((s) => s.seriesInstanceUid);
  const toLabel = seriesToLabel(study, rule);
  return [...images.filter((uid) => toLabel.has(uid)), ...images.filter((uid) => !toLabel.has(uid))];
}

/** The series of the study a project labels, by UID (none when the viewer is not opened from a project). */
export function seriesToLabel(study: ViewerStudy, rule: SeriesRule | null): Set<string> {
  return new Set(rule ? study.series.filter((s) => hasImages(s) && matchesSeriesRule(rule, s)).map((s) => s.seriesInstanceUid) : []);
}

const hasImages = (s: ViewerSeries) => !NON_IMAGE_MODALITIES.has(s.modality);
