import type { QidoResult } from './qido-rs';

/** A QIDO-RS answer: the matches as DICOM JSON, and a Warning naming matching keys that were ignored. */
export function qidoResponse({ matches, ignored }: QidoResult): Response {
  const headers = new Headers({ 'content-type': 'application/dicom+json' });
  if (ignored.length) headers.set('warning', `299 cohort "These query keys are not supported and were ignored: ${ignored.join(', ')}"`);
  return new Response(JSON.stringify(matches), { status: 200, headers });
}
