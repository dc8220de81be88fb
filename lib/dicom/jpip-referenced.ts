import { readStoredDataSet } from '@/lib/dicomweb/wado-metadata';
import { getBlobStore } from '@/lib/storage/get-blob-store';
import { transferSyntaxOf } from './transfer-syntaxes';

type StoredInstance = { sha256: string; size: number; transferSyntaxUid: string; pixelDataOffset: number | null };

export const isJpipReferenced = (transferSyntaxUid: string) => transferSyntaxOf(transferSyntaxUid)?.jpip === true;

/**
 * Why a JPIP-referenced image has no pixels here: its file holds only the address of the JPIP server
 * that has them (Pixel Data Provider URL, 0028,7FE0; PS3.5 §A.6), and Cohort does not fetch pixels
 * from other servers. The address is given so the reader can open the image in a JPIP viewer.
 */
export async function jpipPixelsReason(row: StoredInstance): Promise<string> {
  let url: string | undefined;
  try {
    const { dict } = await readStoredDataSet(getBlobStore().pathOf(row.sha256), row);
    url = (dict['00287FE0'] as { Value?: string[] } | undefined)?.Value?.[0]?.trim();
  } catch {
    // A data set dcmjs cannot read (JPIP Referenced Deflate) still gets the reason, without the address.
  }
  return `This image's pixels are not in its file: they are on a JPIP server${url ? ` (${url})` : ''}, which Cohort does not fetch images from. Open it in a JPIP viewer.`;
}
