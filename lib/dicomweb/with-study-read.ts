import { requireStudyAccess } from '@/lib/projects/study-access';
import { withAuth } from '@/lib/http/with-auth';
import { DICOMWEB_READ } from './dicomweb-access';

type Handler<P> = Parameters<typeof withAuth<P>>[0];

/**
 * DICOMweb reads under /studies/{study}: DICOMweb's roles, then the study itself (a radiologist
 * reads only the studies of their projects; a study they may not open is 404, like a missing one).
 */
export function withStudyRead<P extends { study: string }>(handler: Handler<P>) {
  return withAuth<P>(async (args) => {
    await requireStudyAccess(args.user, { studyInstanceUid: args.params.study });
    return handler(args);
  }, DICOMWEB_READ);
}
