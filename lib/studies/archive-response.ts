import type { StudyArchive } from './study-archive';

/**
 * A study archive as an HTTP download, streamed with its exact length. A client that goes away stops
 * the reading (nothing is staged, so nothing is left behind), and a retry gets the very same bytes.
 */
export function archiveResponse(archive: StudyArchive, signal: AbortSignal): Response {
  const bytes = archive.bytes(signal);
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await bytes.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await bytes.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      'content-type': 'application/zip',
      'content-length': String(archive.length),
      'content-disposition': `attachment; filename="${archive.filename}"`,
      'cache-control': 'private, no-store',
    },
  });
}
