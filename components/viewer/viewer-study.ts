import { holdsImages } from '@/lib/dicom/holds-images.client';
import { selectsSeries, type SeriesSelection } from '@/lib/projects/series-rule.client';

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

/**
 * The series a viewer shows first: those with images, in study order; opened to label, the series
 * the project labels come before the others.
 */
export function initialSeries(study: ViewerStudy, selection: SeriesSelection | null = null): string[] {
  const images = study.series.filter(hasImages).map((s) => s.seriesInstanceUid);
  const toLabel = seriesToLabel(study, selection);
  return [...images.filter((uid) => toLabel.has(uid)), ...images.filter((uid) => !toLabel.has(uid))];
}

/** The series of the study a project labels, by UID (none when the viewer is not opened from a project). */
export function seriesToLabel(study: ViewerStudy, selection: SeriesSelection | null): Set<string> {
  return new Set(selection ? study.series.filter((s) => hasImages(s) && selectsSeries(selection, s)).map((s) => s.seriesInstanceUid) : []);
}

const hasImages = (s: ViewerSeries) => holdsImages(s.modality);
