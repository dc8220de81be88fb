import { dicomJsonResponse } from './dicom-json-response';
import { retrieveFrames } from './wado-frames';
import { retrieveMetadata } from './wado-metadata';
import { renderedResponse } from './wado-rendered';

type SeriesParams = { study: string; series: string };

/**
 * The DICOMweb reads the viewer makes, from a request and its path parameters: one definition for
 * Cohort's own routes (/dicomweb) and a share link's mirror of them (/s/<token>/dicomweb).
 */

/** WADO-RS metadata of every instance of a series, as DICOM JSON. */
export async function seriesMetadataResponse(params: SeriesParams): Promise<Response> {
  return dicomJsonResponse(await retrieveMetadata({ study: params.study, series: params.series }));
}

/** The series' thumbnail: its middle image, small, as PNG. */
export function seriesThumbnailResponse(req: Request, params: SeriesParams): Promise<Response> {
  return renderedResponse({ study: params.study, series: params.series, query: new URL(req.url).searchParams, accept: req.headers.get('accept'), thumbnail: true });
}

/** WADO-RS RetrieveFrames: /frames/1 or /frames/1,3,5 (what Cornerstone's wadors loader asks for). */
export function framesResponse(req: Request, params: SeriesParams & { instance: string; frames: string }): Promise<Response> {
  return retrieveFrames({
    study: params.study,
    series: params.series,
    instance: params.instance,
    frames: params.frames.split(',').map((n) => Number(n.trim())),
    accept: req.headers.get('accept'),
  });
}
