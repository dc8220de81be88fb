import { seriesMetadataResponse } from '@/lib/dicomweb/viewer-reads';
import { withStudyRead } from '@/lib/dicomweb/with-study-read';

/** WADO-RS RetrieveMetadata for every instance of a series (what viewers load first), as DICOM JSON. */
export const GET = withStudyRead<{ study: string; series: string }>(async ({ params }) => seriesMetadataResponse(params));
