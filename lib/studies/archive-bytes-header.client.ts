/** The archive's exact length, for progress bars: Next.js does not pass Content-Length through from route handlers. */
export const ARCHIVE_BYTES_HEADER = 'x-archive-bytes';
