import type { InstanceJson } from '@/lib/dicom/stack-order.client';
import { dicomwebUrl } from './dicomweb-root';

const requests = new Map<string, Promise<InstanceJson[]>>();

/**
 * A series' WADO-RS metadata (DICOM JSON, one request, the user's session cookie or the page's share link), fetched once per
 * page. Free of Cornerstone, so the viewer's small loader can start it while the imaging code is
 * still downloading: the first image then waits for neither alone.
 */
export function fetchSeriesMetadata(studyUid: string, seriesUid: string): Promise<InstanceJson[]> {
  const key = `${studyUid}/${seriesUid}`;
  let request = requests.get(key);
  if (!request) {
    request = fetchJson(dicomwebUrl(`/studies/${studyUid}/series/${seriesUid}/metadata`));
    request.catch(() => requests.delete(key));
    requests.set(key, request);
  }
  return request;
}

async function fetchJson(url: string): Promise<InstanceJson[]> {
  const res = await fetch(url, { headers: { accept: 'application/dicom+json' }, credentials: 'same-origin' });
  if (!res.ok) {
    const problem = (await res.json().catch(() => null)) as { message?: string } | null;
    throw new Error(problem?.message ?? `The series metadata could not be loaded (HTTP ${res.status}).`);
  }
  return (await res.json()) as InstanceJson[];
}
