import { getVersionGrantFile } from '@/lib/datasets/grants/get-version-grant-file';
import { withAuth } from '@/lib/http/with-auth';

/**
 * A grant's age file (the version's key file, encrypted to one key): `cohort pull <cid> --key <file>
 * --identity <identity file>`, or `age -d -i`. Any signed-in user may ask; only the key's owner and
 * ML engineers and admins find it (404 for everyone else).
 */
export const GET = withAuth<{ versionId: string; grantId: string }>(async ({ user, params }) => {
  const { bytes, fileName } = await getVersionGrantFile({ ...params, user });
  return new Response(new Uint8Array(bytes), {
    headers: {
      'content-type': 'application/octet-stream',
      'content-disposition': `attachment; filename="${fileName}"`,
      'cache-control': 'no-store',
    },
  });
});
