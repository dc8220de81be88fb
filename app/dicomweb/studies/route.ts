import { DICOMWEB_READ, DICOMWEB_STORE } from '@/lib/dicomweb/dicomweb-access';
import { dicomJsonResponse } from '@/lib/dicomweb/dicom-json-response';
import { qidoResponse } from '@/lib/dicomweb/qido-response';
import { searchStudies } from '@/lib/dicomweb/qido-rs';
import { storeStowRequest } from '@/lib/dicomweb/stow-rs';
import { withAuth } from '@/lib/http/with-auth';
import { visibleStudiesSql } from '@/lib/projects/study-access';

/** QIDO-RS SearchForStudies (PS3.18 §10.6). */
export const GET = withAuth(
  async ({ req, user }) => qidoResponse(await searchStudies(new URL(req.url).searchParams, visibleStudiesSql(user))),
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
