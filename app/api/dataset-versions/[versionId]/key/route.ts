import { DATASETS_MANAGE } from '@/lib/datasets/dataset-roles';
import { getVersionKey } from '@/lib/datasets/get-version-key';
import { withAuth } from '@/lib/http/with-auth';

/** The key file of a private version, as a download (`npm run cohort -- pull <cid> --key <file>`). */
export const GET = withAuth<{ versionId: string }>(async ({ params }) => {
  const keyFile = await getVersionKey(params.versionId);
  return new Response(JSON.stringify(keyFile, null, 2) + '\n', {
    headers: {
      'content-type': 'application/json',
      'content-disposition': `attachment; filename="cohort-dataset-${keyFile.keyId}.key.json"`,
      'cache-control': 'no-store',
    },
  });
}, DATASETS_MANAGE);
