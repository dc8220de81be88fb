import { DICOMWEB_STORE } from '@/lib/dicomweb/dicomweb-access';
import { dicomJsonResponse } from '@/lib/dicomweb/dicom-json-response';
import { storeStowRequest } from '@/lib/dicomweb/stow-rs';
import { retrieveInstances } from '@/lib/dicomweb/wado-rs';
import { withAuth } from '@/lib/http/with-auth';
import { withStudyRead } from '@/lib/dicomweb/with-study-read';
import { crossOriginReadPreflight } from '@/lib/http/cross-origin-reads';

/** STOW-RS into one study: instances of any other study are refused (PS3.18 §10.5). */
export const POST = withAuth<{ study: string }>(
  async ({ req, user, params }) => {
    const { status, json } = await storeStowRequest({
      body: req.body,
      contentType: req.headers.get('content-type'),
      studyInstanceUid: params.study,
      actorUserId: user.id,
    });
    return dicomJsonResponse(json, status);
  },
  DICOMWEB_STORE,
);

/** WADO-RS RetrieveStudy: every stored file of the study, as multipart/related. */
export const GET = withStudyRead<{ study: string }>(async ({ params }) => retrieveInstances({ study: params.study }));

/** CORS preflight for web apps allowed to read with a token (COHORT_DICOMWEB_ORIGINS). */
export const OPTIONS = crossOriginReadPreflight;
