import { DICOMWEB_READ, DICOMWEB_STORE } from '@/lib/dicomweb/dicomweb-access';
import { dicomJsonResponse } from '@/lib/dicomweb/dicom-json-response';
import { qidoResponse } from '@/lib/dicomweb/qido-response';
import { searchStudies } from '@/lib/dicomweb/qido-rs';
import { storeStowRequest } from '@/lib/dicomweb/stow-rs';
import { withAuth } from '@/lib/http/with-auth';
import { actorOf } from '@/lib/access-log/access-event';
import { recordSearchResults } from '@/lib/access-log/record-search-results';
import { clientAddress } from '@/lib/http/client-address';
import { visibleStudiesSql } from '@/lib/projects/study-access';
import { crossOriginReadPreflight } from '@/lib/http/cross-origin-reads';

/** QIDO-RS SearchForStudies (PS3.18 §10.6). Each study it answers with is a read of its metadata, logged as such. */
export const GET = withAuth(
  async ({ req, user }) => {
    const result = await searchStudies(new URL(req.url).searchParams, visibleStudiesSql(user));
    recordSearchResults(result, { by: actorOf(user, DICOMWEB_READ.roles!), address: clientAddress(req) });
    return qidoResponse(result);
  },
  DICOMWEB_READ,
);

/** STOW-RS: store the DICOM files of a multipart/related request (PS3.18 §10.5). */
export const POST = withAuth(
  async ({ req, user }) => {
    const { status, json } = await storeStowRequest({ body: req.body, contentType: req.headers.get('content-type'), actorUserId: user.id });
    return dicomJsonResponse(json, status);
  },
  DICOMWEB_STORE,
);

/** CORS preflight for web apps allowed to read with a token (COHORT_DICOMWEB_ORIGINS). */
export const OPTIONS = crossOriginReadPreflight;
