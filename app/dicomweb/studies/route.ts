import { dicomJsonResponse } from '@/lib/dicomweb/dicom-json-response';
import { storeStowRequest } from '@/lib/dicomweb/stow-rs';
import { withAuth } from '@/lib/http/with-auth';

/** STOW-RS: store the DICOM files of a multipart/related request (PS3.18 §10.5). */
export const POST = withAuth(
  async ({ req, user }) => {
    const { status, json } = await storeStowRequest({ body: req.body, contentType: req.headers.get('content-type'), actorUserId: user.id });
    return dicomJsonResponse(json, status);
  },
  { roles: ['admin'] },
);
