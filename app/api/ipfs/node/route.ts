import { DATASETS_MANAGE } from '@/lib/datasets/dataset-roles';
import { withAuth } from '@/lib/http/with-auth';
import { getIpfs } from '@/lib/ipfs/get-ipfs';

/**
 * This installation's IPFS node: its peer id and the addresses peers dial to fetch published versions
 * (`cohort pull <cid> --from <address>`). For the people who share datasets only: addresses name hosts.
 */
export const GET = withAuth(async () => Response.json(await (await getIpfs()).info()), DATASETS_MANAGE);
