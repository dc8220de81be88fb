import { wadors } from '@cornerstonejs/dicom-image-loader';
import { orderStack, type SeriesStack } from '@/lib/dicom/stack-order.client';
import { withoutUnusableWindow } from '@/lib/dicom/usable-window.client';
import { dicomwebUrl } from './dicomweb-root';
import { fetchSeriesMetadata } from './series-metadata';
import { noteTransferSyntax } from './server-decoded-frames';

export type LoadedSeries = SeriesStack & { imageIds: string[] };

const loaded = new Map<string, Promise<LoadedSeries>>();

/** The WADO-RS frame URL of one image, as the `wadors:` scheme of Cornerstone's loader reads it. */
export function frameImageId(studyUid: string, seriesUid: string, sopInstanceUid: string, frame: number): string {
  return `wadors:${window.location.origin}${dicomwebUrl(`/studies/${studyUid}/series/${seriesUid}/instances/${sopInstanceUid}/frames/${frame}`)}`;
}

/**
 * A series' images in viewing order and their imageIds, with the metadata registered for the loader.
 * Cached per page: switching layouts or panes does not fetch again.
 */
export function loadSeries(studyUid: string, seriesUid: string): Promise<LoadedSeries> {
  const key = `${studyUid}/${seriesUid}`;
  let series = loaded.get(key);
  if (!series) {
    series = fetchSeries(studyUid, seriesUid);
    series.catch(() => loaded.delete(key));
    loaded.set(key, series);
  }
  return series;
}

async function fetchSeries(studyUid: string, seriesUid: string): Promise<LoadedSeries> {
  const stack = orderStack(await fetchSeriesMetadata(studyUid, seriesUid));
  if (stack.images.length === 0) throw new Error('This series has no images.');
  const imageIds = stack.images.map((image) => {
    const imageId = frameImageId(studyUid, seriesUid, image.sopInstanceUid, image.frame);
    const metadata = noteTransferSyntax(imageId, withoutUnusableWindow(image.instance));
    wadors.metaDataManager.add(imageId, metadata as unknown as Parameters<typeof wadors.metaDataManager.add>[1]);
    return imageId;
  });
  return { ...stack, imageIds };
}
