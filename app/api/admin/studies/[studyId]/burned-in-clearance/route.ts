import { readJson } from '@/lib/http/read-json';
import { withAuth } from '@/lib/http/with-auth';
import { ZBurnedInClearanceInput } from '@/lib/studies/schemas';
import { setBurnedInClearance } from '@/lib/studies/set-burned-in-clearance';

/** `{ cleared: true, note? }`: an admin checked the study's images and found no burned-in text; `{ cleared: false }` withdraws it. */
export const PUT = withAuth<{ studyId: string }>(
  async ({ req, user, params }) => Response.json(await setBurnedInClearance({ studyId: params.studyId, actorId: user.id, input: ZBurnedInClearanceInput.parse(await readJson(req)) })),
  { roles: ['admin'] },
);
