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

export function bufferSource(bytes: Uint8Array): ByteSource {
  return { size: bytes.length, read: async (position, length) => bytes.subarray(position, position + length) };
}
