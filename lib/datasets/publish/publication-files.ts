import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileCid } from '@/lib/ipfs/file-cid';
import { encryptFile } from '../export/file-encryption';
import { writeStaged, type StagedFile } from '../export/staging-files';
import type { ManifestFile } from '../manifest/manifest-schema';

/** Where a version is prepared: `files/` exactly as it will be published, `studies/` what each study's export made. */
export function stagingDirs(root: string) {
  return { files: path.join(root, 'files'), studies: path.join(root, 'studies') };
}

/** Writes one file of the version and says how the manifest describes it. */
export type PublicationWriter = { dir: string; write(file: StagedFile, content: Uint8Array | string): Promise<ManifestFile> };

/**
 * Writes files as they are published, in one pass: encrypted right away for a private version (the
 * plaintext never reaches the disk), and described for the manifest from the bytes in memory: size,
 * SHA-256 and CID of what is published (lib/ipfs/file-cid.ts: what the add will make), and the
 * plaintext's size and SHA-256 when encrypted. `onWritten` gets each file's published bytes once
 * they are on disk (the publication hands them to IPFS without reading them back).
 */
export function publicationWriter(root: string, key: Uint8Array | null, onWritten?: (path: string, published: Uint8Array) => Promise<void>): PublicationWriter {
  const dir = stagingDirs(root).files;
  const madeDirs = new Set<string>();
  return {
    dir,
    async write(file, content) {
      const plain = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
      const published = key ? encryptFile(key, file.path, plain) : plain;
      await writeStaged(dir, file, published, madeDirs);
      await onWritten?.(file.path, published);
      const digest = sha256(published);
      return {
        path: file.path,
        size: published.length,
        sha256: digest.toString('hex'),
        cid: await fileCid(published, digest),
        kind: file.kind,
        ...(file.study ? { study: file.study } : {}),
        ...(key ? { plain: { size: plain.length, sha256: sha256(plain).toString('hex') } } : {}),
      };
    },
  };
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

function sha256(bytes: Uint8Array): Buffer {
  return createHash('sha256').update(bytes).digest();
}
