import { DICOMWEB_READ } from '@/lib/dicomweb/dicomweb-access';
import { retrieveBulkData } from '@/lib/dicomweb/wado-bulkdata';
import { withAuth } from '@/lib/http/with-auth';

/** WADO-RS bulk data: a binary attribute's value, at the BulkDataURI the metadata gave. */
export const GET = withAuth<{ study: string; series: string; instance: string; path: string[] }>(async ({ params }) => retrieveBulkData(params), DICOMWEB_READ);
