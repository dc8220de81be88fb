import { init as coreInit, volumeLoader, cornerstoneStreamingImageVolumeLoader } from '@cornerstonejs/core';
import { init as imageLoaderInit } from '@cornerstonejs/dicom-image-loader';
import {
  addTool,
  init as toolsInit,
  CrosshairsTool,
  PanTool,
  StackScrollTool,
  WindowLevelTool,
  ZoomTool,
} from '@cornerstonejs/tools';

let ready: Promise<void> | undefined;

/**
 * Cornerstone3D, its DICOM image loader (codecs in web workers) and the tools the viewer uses,
 * set up once per page however many viewers mount.
 */
export function initCornerstone(): Promise<void> {
  ready ??= (async () => {
    await coreInit();
    imageLoaderInit({ maxWebWorkers: Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2) - 1)) });
    // The loader's options type is narrower than the registry's; Cornerstone's own examples cast alike.
    volumeLoader.registerVolumeLoader('cornerstoneStreamingImageVolume', cornerstoneStreamingImageVolumeLoader as unknown as Parameters<typeof volumeLoader.registerVolumeLoader>[1]);
    toolsInit();
    for (const tool of [WindowLevelTool, PanTool, ZoomTool, StackScrollTool, CrosshairsTool]) addTool(tool);
  })();
  return ready;
}
