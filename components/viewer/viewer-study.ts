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

/** The series a viewer shows first, in study order: those with images. */
export function initialSeries(study: ViewerStudy): string[] {
  return study.series.filter((s) => !NON_IMAGE_MODALITIES.has(s.modality)).map((s) => s.seriesInstanceUid);
}
