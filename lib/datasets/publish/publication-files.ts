import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileCid } from '@/lib/ipfs/file-cid';
import { encryptFile } from '../export/file-encryption';
import type { StagedFile } from '../export/staging-files';
import type { ManifestFile } from '../manifest/manifest-schema';

/** Where a version's files are prepared: `plain/` as exported, `sealed/` encrypted (private versions). */
export function stagingDirs(root: string) {
  return { plain: path.join(root, 'plain'), sealed: path.join(root, 'sealed'), studies: path.join(root, 'studies') };
}

/**
 * Turns the exported files into what is published: encrypted one by one for a private version, then
 * described for the manifest (size, SHA-256, CID of the published bytes, and the plaintext's size and
 * SHA-256 when encrypted). CIDs come from the bytes in memory (lib/ipfs/file-cid.ts), as the add will make them.
 */
export async function describePublishedFiles(root: string, files: readonly StagedFile[], key: Uint8Array | null): Promise<{ dir: string; files: ManifestFile[] }> {
  const dirs = stagingDirs(root);
  const dir = key ? dirs.sealed : dirs.plain;
  const described: ManifestFile[] = [];
  for (const f of files) {
    const plain = await fs.readFile(path.join(dirs.plain, f.path));
    const published = key ? encryptFile(key, f.path, plain) : plain;
    if (key) {
      await fs.mkdir(path.dirname(path.join(dirs.sealed, f.path)), { recursive: true });
      await fs.writeFile(path.join(dirs.sealed, f.path), published);
    }
    described.push({
      path: f.path,
      size: published.length,
      sha256: sha256(published),
      cid: await fileCid(published),
      kind: f.kind,
      ...(f.study ? { study: f.study } : {}),
      ...(key ? { plain: { size: plain.length, sha256: sha256(plain) } } : {}),
    });
  }
  return { dir, files: described };
}

/** A file's bytes as a stream of chunks, opened only when the importer reaches it. */
export async function* readChunks(file: string): AsyncGenerator<Uint8Array> {
  const handle = await fs.open(file);
  try {
    for await (const chunk of handle.createReadStream({ highWaterMark: 1024 * 1024, autoClose: false })) yield chunk as Buffer;
  } finally {
    await handle.close();
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
