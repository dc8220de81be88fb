import { readJson } from '@/lib/http/read-json';
import { withAuth } from '@/lib/http/with-auth';
import { findRecipientKeys } from '@/lib/recipient-keys/find-recipient-keys';
import { RECIPIENT_KEY_ROLES } from '@/lib/recipient-keys/recipient-key-roles';
import { registerRecipientKey } from '@/lib/recipient-keys/register-recipient-key';
import { ZRegisterRecipientKey } from '@/lib/recipient-keys/schemas';

/** The signed-in user's dataset keys (age recipients; removed ones too). */
export const GET = withAuth(async ({ user }) => Response.json({ keys: await findRecipientKeys(user.id) }), { roles: RECIPIENT_KEY_ROLES });

/** Registers an `age1…` public key private versions can then be shared with. */
export const POST = withAuth(
  async ({ req, user }) => Response.json({ key: await registerRecipientKey(user.id, ZRegisterRecipientKey.parse(await readJson(req))) }, { status: 201 }),
  { roles: RECIPIENT_KEY_ROLES },
);
