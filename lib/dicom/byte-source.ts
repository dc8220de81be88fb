import fs from 'node:fs/promises';
import type { ByteSource } from './read-header';

/** A file opened for random reads; close it when done. */
export async function openFileSource(filePath: string): Promise<ByteSource & { close(): Promise<void> }> {
  const handle = await fs.open(filePath, 'r');
  const { size } = await handle.stat();
  return {
    size,
    async read(position, length) {
      const buffer = Buffer.allocUnsafe(Math.max(0, Math.min(length, size - position)));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      return buffer.subarray(0, bytesRead);
    },
    close: () => handle.close(),
  };
}

/**
 * Bytes in memory, whole or as the chunks they arrived in (read as one run: a read within one chunk
 * is a view, only a read across chunks copies).
 */
export function bufferSource(bytes: Uint8Array | readonly Uint8Array[]): ByteSource {
  const chunks = bytes instanceof Uint8Array ? [bytes] : bytes;
  const starts: number[] = [];
  let size = 0;
  for (const chunk of chunks) {
    starts.push(size);
    size += chunk.length;
  }
  return {
    size,
    async read(position, length) {
      const end = Math.min(size, position + length);
      if (position >= end) return new Uint8Array(0);
      let i = chunkAt(starts, position);
      const first = chunks[i]!.subarray(position - starts[i]!, end - starts[i]!);
      if (first.length === end - position) return first;
      const out = Buffer.allocUnsafe(end - position);
      for (let written = 0; written < out.length; i++) {
        const piece = chunks[i]!.subarray(written === 0 ? position - starts[i]! : 0, end - starts[i]!);
        out.set(piece, written);
        written += piece.length;
      }
      return out;
    },
  };
}

/** The index of the chunk holding `position` (the last start at or before it). */
function chunkAt(starts: readonly number[], position: number): number {
  let [low, high] = [0, starts.length - 1];
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid]! <= position) low = mid;
    else high = mid - 1;
  }
  return low;
}
