import { readJson } from '@/lib/http/read-json';
import { withAuth } from '@/lib/http/with-auth';
import { createShareLink } from '@/lib/share-links/create-share-link';
import { findMyShareLinks } from '@/lib/share-links/find-my-share-links';
import { ZCreateShareLinkInput } from '@/lib/share-links/schemas';

/** The patient's share links (never their tokens). */
export const GET = withAuth(async ({ user }) => Response.json({ links: await findMyShareLinks(user.id) }), { roles: ['patient'] });

/** A new link to one of the patient's studies; the answer carries its path (/s/<token>) this once only. */
export const POST = withAuth(
  async ({ req, user }) => {
    const input = ZCreateShareLinkInput.parse(await readJson(req));
    const { token, link } = await createShareLink({ userId: user.id, input });
    return Response.json({ link, path: `/s/${token}` }, { status: 201 });
  },
  { roles: ['patient'] },
);
