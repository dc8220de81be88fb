import { withAuth } from '@/lib/http/with-auth';
import { revokeClaimCode } from '@/lib/patients/revoke-claim-code';

/** Revokes an open claim code. */
export const DELETE = withAuth<{ codeId: string }>(async ({ user, params }) => Response.json(await revokeClaimCode({ actorId: user.id, codeId: params.codeId })), { roles: ['admin'] });
