import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { importDirectory } from '@/lib/ipfs/import-directory';
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
 * SHA-256 when encrypted). CIDs come from the same importer and settings the IPFS add uses, without
 * storing anything: a file's CID does not depend on the directory it is added in.
 */
export async function describePublishedFiles(root: string, files: readonly StagedFile[], key: Uint8Array | null): Promise<{ dir: string; files: ManifestFile[] }> {
  const dirs = stagingDirs(root);
  const dir = key ? dirs.sealed : dirs.plain;
  const described: Omit<ManifestFile, 'cid'>[] = [];
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
      kind: f.kind,
      ...(f.study ? { study: f.study } : {}),
      ...(key ? { plain: { size: plain.length, sha256: sha256(plain) } } : {}),
    });
  }
  const hashOnly = { put: async <C>(cid: C) => cid };
  const { files: cids } = await importDirectory(
    described.map((f) => ({ path: f.path, content: readChunks(path.join(dir, f.path)) })),
    hashOnly,
  );
  const cidOf = new Map(cids.map((c) => [c.path, c.cid]));
  return { dir, files: described.map((f) => ({ ...f, cid: cidOf.get(f.path)! })) };
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
