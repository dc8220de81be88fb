/**
 * Large scratch buffers kept for the next series of the same size. glibc maps every allocation of
 * 32 MiB or more afresh and unmaps it when freed, so each new volume (a 512² × 128 CT is 64 MiB, its
 * labelmap 32 MiB) is faulted in page by page: about 15 µs a page on small VMs, a quarter of a second
 * per volume, more than the work done in it. A buffer given back is handed out again as it is, not
 * zeroed: takers overwrite all of it. Kept buffers are let go after a short idle time.
 */

/** At most this much is kept between uses. */
const MAX_KEPT_BYTES = 512 * 1024 * 1024;
/** Kept buffers are let go once none was taken for this long. */
const IDLE_MS = 30_000;

const kept = new Map<number, ArrayBuffer[]>();
let keptBytes = 0;
let idleTimer: NodeJS.Timeout | null = null;

/** A buffer of exactly `bytes`, reused when one was given back, with contents undefined. */
export function takeBuffer(bytes: number): ArrayBuffer {
  const buffer = kept.get(bytes)?.pop();
  if (!buffer) return new ArrayBuffer(bytes);
  keptBytes -= bytes;
  return buffer;
}

/** Gives a buffer from takeBuffer back: the caller must not use it (or any view of it) again. */
export function giveBackBuffer(buffer: ArrayBufferLike): void {
  if (!(buffer instanceof ArrayBuffer) || buffer.byteLength === 0 || keptBytes + buffer.byteLength > MAX_KEPT_BYTES) return;
  const list = kept.get(buffer.byteLength) ?? [];
  if (list.includes(buffer)) return;
  list.push(buffer);
  kept.set(buffer.byteLength, list);
  keptBytes += buffer.byteLength;
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    kept.clear();
    keptBytes = 0;
  }, IDLE_MS).unref();
}

/** How much is kept now (for tests). */
export function keptBufferBytes(): number {
  return keptBytes;
}
