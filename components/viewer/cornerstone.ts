import { init as coreInit, volumeLoader, cornerstoneStreamingImageVolumeLoader } from '@cornerstonejs/core';
import { init as imageLoaderInit } from '@cornerstonejs/dicom-image-loader';
import { frameRequestHeaders } from './server-decoded-frames';
import type { ViewerTools } from './viewer-tools';

let ready: Promise<void> | undefined;
let tools: Promise<ViewerTools> | undefined;

/**
 * Cornerstone3D and its DICOM image loader (codecs in web workers): what drawing the first image
 * needs, set up once per page however many viewers mount.
 */
export function initCornerstone(): Promise<void> {
  ready ??= (async () => {
    await coreInit();
    imageLoaderInit({
      maxWebWorkers: Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2) - 1)),
      beforeSend: (_xhr, imageId) => frameRequestHeaders(imageId),
    });
    // The loader's options type is narrower than the registry's; Cornerstone's own examples cast alike.
    volumeLoader.registerVolumeLoader('cornerstoneStreamingImageVolume', cornerstoneStreamingImageVolumeLoader as unknown as Parameters<typeof volumeLoader.registerVolumeLoader>[1]);
  })();
  return ready;
}

/** The interaction tools, loaded and set up once, after the first image (the viewer asks then). */
export function loadTools(): Promise<ViewerTools> {
  tools ??= initCornerstone()
    .then(() => import('./viewer-tools'))
    .then((module) => {
      module.initTools();
      return module;
    });
  return tools;
}
