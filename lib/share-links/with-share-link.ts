import type { AccessHow } from '@/lib/access-log/access-event';
import { clientAddress } from '@/lib/http/client-address';
import { withErrors } from '@/lib/http/with-auth';
import { openShareLink, type OpenedShareLink } from './open-share-link';

type ShareParams = { token: string; study?: string; series?: string };

/**
 * The wrapper of every route under /s/<token>: no session, the link is the key. It must be live and
 * within its limits, and open only its own study (any other UID answers as an invalid link would).
 */
export function withShareLink<P extends ShareParams>(how: AccessHow, handler: (args: { req: Request; params: P; link: OpenedShareLink }) => Promise<Response>) {
  return withErrors<P>(async ({ req, params }) => {
    const link = await openShareLink({ token: params.token, address: clientAddress(req), how, studyInstanceUid: params.study, seriesInstanceUid: params.series ?? null });
    return handler({ req, params, link });
  });
}
