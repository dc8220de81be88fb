/** What the viewer page hands the client viewer: display strings and series, no database rows. */
export type ViewerStudy = {
  id: string;
  studyInstanceUid: string;
  description: string;
  date: string;
  patient: string;
  patientId: string;
  series: ViewerSeries[];
};

export type ViewerSeries = {
  seriesInstanceUid: string;
  number: number | null;
  modality: string;
  description: string;
  instanceCount: number;
};
