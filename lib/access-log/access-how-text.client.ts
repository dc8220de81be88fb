import type { AccessHow } from './access-event';

/** What each way of reading a study is called in plain language (the patient portal, the admin log). */
export const ACCESS_HOW_TEXT: Record<AccessHow, string> = {
  view: 'viewed',
  download: 'downloaded',
  dicomweb: 'retrieved by a program (DICOMweb)',
  inference: 'analysed by an AI model',
  export: 'de-identified for a dataset',
};
