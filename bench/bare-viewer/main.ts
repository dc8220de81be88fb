/**
 * The baseline of the viewer benchmarks: Cornerstone3D alone, no app shell. It does the least any
 * WADO-RS viewer must: fetch the series metadata, register it, show the middle slice of a stack.
 * Query: ?study=…&series=… (served beside Cohort, so the session cookie reaches its DICOMweb).
 */
import { Enums, RenderingEngine, init as coreInit, type StackViewport } from '@cornerstonejs/core';
import { init as imageLoaderInit, wadors } from '@cornerstonejs/dicom-image-loader';

declare global {
  interface Window {
    bareViewer: { scrollAll(): Promise<number> };
  }
}

const params = new URLSearchParams(location.search);
const study = params.get('study')!;
const series = params.get('series')!;
const element = document.getElementById('viewport') as HTMLDivElement;

await coreInit();
imageLoaderInit({ maxWebWorkers: Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2) - 1)) });
const res = await fetch(`/dicomweb/studies/${study}/series/${series}/metadata`, { headers: { accept: 'application/dicom+json' } });
type Json = Record<string, { Value?: unknown[] }>;
const instances = ((await res.json()) as Json[]).sort((a, b) => Number(a['00200013']?.Value?.[0]) - Number(b['00200013']?.Value?.[0]));
const imageIds = instances.map((instance) => {
  const sop = String(instance['00080018']!.Value![0]);
  const imageId = `wadors:${location.origin}/dicomweb/studies/${study}/series/${series}/instances/${sop}/frames/1`;
  wadors.metaDataManager.add(imageId, instance as unknown as Parameters<typeof wadors.metaDataManager.add>[1]);
  return imageId;
});
const engine = new RenderingEngine('bare');
engine.enableElement({ viewportId: 'stack', type: Enums.ViewportType.STACK, element });
const viewport = engine.getViewport('stack') as StackViewport;
element.addEventListener(Enums.Events.IMAGE_RENDERED, () => performance.mark('cohort:first-image'), { once: true });
await viewport.setStack(imageIds, Math.floor(imageIds.length / 2));
viewport.render();

/** Scrolls through the whole stack from the first image, one image per rendered frame; frames per second. */
window.bareViewer = {
  async scrollAll() {
    await viewport.setImageIdIndex(0);
    const start = performance.now();
    for (let i = 1; i < imageIds.length; i++) {
      const rendered = new Promise((resolve) => element.addEventListener(Enums.Events.IMAGE_RENDERED, resolve, { once: true }));
      viewport.scroll(1);
      await rendered;
    }
    return (imageIds.length - 1) / ((performance.now() - start) / 1000);
  },
};
