import { framesResponse } from '@/lib/dicomweb/viewer-reads';
import { withStudyRead } from '@/lib/dicomweb/with-study-read';
import { crossOriginReadPreflight } from '@/lib/http/cross-origin-reads';

/** WADO-RS RetrieveFrames: /frames/1 or /frames/1,3,5 (what Cornerstone's wadors loader asks for). */
export const GET = withStudyRead<{ study: string; series: string; instance: string; frames: string }>(async ({ req, params }) => framesResponse(req, params));

/** CORS preflight for web apps allowed to read with a token (COHORT_DICOMWEB_ORIGINS). */
export const OPTIONS = crossOriginReadPreflight;
