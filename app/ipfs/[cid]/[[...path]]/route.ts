import { withErrors } from '@/lib/http/with-auth';
import { serveGateway } from '@/lib/ipfs/serve-gateway';

export const dynamic = 'force-dynamic';

/**
 * Cohort's read-only IPFS gateway: `/ipfs/<cid>/<path…>`, `?format=raw|car` (docs/ipfs.md).
 *
 * Public, no session: it serves only blocks already in Cohort's own IPFS node, and only published dataset
 * content is ever added there, either released for public use or encrypted; anyone with the CID could fetch
 * the same blocks from any peer. Original DICOM stays in the blob store, which is never added to IPFS and
 * which this route cannot reach.
 */
const gateway = withErrors<{ cid: string; path?: string[] }>(({ req, params }) => serveGateway(req, params));

export const GET = gateway;
export const HEAD = gateway;
