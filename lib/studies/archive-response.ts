import { ARCHIVE_BYTES_HEADER } from './archive-bytes-header.client';
import type { StudyArchive } from './study-archive';


const PULL_BYTES = 1024 * 1024;

/**
 * A study archive as an HTTP download, streamed (with its exact length when known ahead). A client that goes away stops
 * the reading (nothing is staged, so nothing is left behind), and a retry gets the very same bytes.
 */
export function archiveResponse(archive: StudyArchive, signal: AbortSignal): Response {
  const bytes = archive.bytes(signal);
  const body = new ReadableStream<Uint8Array>({
    // Several parts per pull (a member's header, its data, its descriptor): fewer round trips.
    async pull(controller) {
      for (let queued = 0; queued < PULL_BYTES; ) {
        const next = await bytes.next();
        if (next.done) return controller.close();
        controller.enqueue(next.value);
        queued += next.value.length;
      }
    },
    async cancel() {
      await bytes.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      'content-type': 'application/zip',
      ...(archive.length !== null
        ? {
            'content-length': String(archive.length),
            // Next.js (16) drops Content-Length from route handlers' responses; the download button reads this.
            [ARCHIVE_BYTES_HEADER]: String(archive.length),
          }
        : {}),
      'content-disposition': `attachment; filename="${archive.filename}"`,
      'cache-control': 'private, no-store',
    },
  });
}
