import { readJson } from '@/lib/http/read-json';
import { withAuth } from '@/lib/http/with-auth';
import { CREDIT_ROLES } from '@/lib/users/credit-roles';
import { getCreditName, setCreditName } from '@/lib/users/credit-name';
import { ZSetCreditName } from '@/lib/users/schemas';

/** The name the signed-in contributor is credited under in published datasets (null: pseudonym only). */
export const GET = withAuth(async ({ user }) => Response.json({ creditName: await getCreditName(user.id) }), { roles: CREDIT_ROLES });

/** Opts in to credit by name ({ creditName: "…" }) or out ({ creditName: null }). */
export const PUT = withAuth(
  async ({ req, user }) => Response.json({ creditName: await setCreditName(user.id, ZSetCreditName.parse(await readJson(req))) }),
  { roles: CREDIT_ROLES },
);
