import { actorOf } from '@/lib/access-log/access-event';
import { recordAccess } from '@/lib/access-log/record-access';
import { requireStudyAccess } from '@/lib/projects/study-access';
import { clientAddress } from '@/lib/http/client-address';
import { isAppError } from '@/lib/errors/app-error';
import { withAuth } from '@/lib/http/with-auth';
import { DICOMWEB_READ } from './dicomweb-access';

type Handler<P> = Parameters<typeof withAuth<P>>[0];

/**
 * DICOMweb reads under /studies/{study}: DICOMweb's roles, then the study itself (a radiologist
 * reads only the studies of their projects; a study they may not open is 404, like a missing one).
 * Every read, allowed or refused, goes to the access log: as "view" from the viewer (a session), as
 * "dicomweb" from a program (an access token).
 */
export function withStudyRead<P extends { study: string; series?: string }>(handler: Handler<P>) {
  return withAuth<P>(async (args) => {
    const by = actorOf(args.user, DICOMWEB_READ.roles!);
    const access = {
      study: { studyInstanceUid: args.params.study },
      seriesInstanceUid: args.params.series ?? null,
      by,
      how: by.kind === 'access_token' ? 'dicomweb' : 'view',
      address: clientAddress(args.req),
    } as const;
    try {
      await requireStudyAccess(args.user, { studyInstanceUid: args.params.study });
    } catch (err) {
      if (isAppError(err, 'NOT_FOUND')) recordAccess({ ...access, outcome: 'denied' });
      throw err;
    }
    recordAccess(access);
    return handler(args);
  }, DICOMWEB_READ);
}
