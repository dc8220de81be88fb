import type { DicomJsonDataset } from './dicom-json';

/** A DICOM JSON answer (PS3.18 Annex F): media type application/dicom+json. */
export function dicomJsonResponse(json: DicomJsonDataset | DicomJsonDataset[], status = 200): Response {
  return new Response(JSON.stringify(json), { status, headers: { 'content-type': 'application/dicom+json' } });
}
