import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { IncomingFile } from './ingest-files';
import { zipEntries, type ZipLimits } from './zip-entries';

/**
 * The files under the given paths, as files to ingest: folders are walked (hidden files and symlinks
 * passed over, names in order), zip archives opened member by member, anything else read as it is.
 * DICOM is recognised by content, not by name: many modalities write files without an extension.
 */
export async function* pathFiles(paths: readonly string[], limits: ZipLimits): AsyncGenerator<IncomingFile> {
  for (const root of paths) {
    const stat = await fs.stat(root);
    if (stat.isDirectory()) {
      for (const file of await walk(root)) yield* fileOrArchive(file, path.relative(root, file), limits);
    } else {
      yield* fileOrArchive(root, path.basename(root), limits);
    }
  }
}

async function* fileOrArchive(file: string, name: string, limits: ZipLimits): AsyncGenerator<IncomingFile> {
  if (file.toLowerCase().endsWith('.zip')) {
    for await (const member of zipEntries(file, limits)) yield { ...member, name: `${name}/${member.name}` };
  } else {
    yield { name, body: createReadStream(file) };
  }
}

async function walk(dir: string): Promise<string[]> {
  const entries = (await fs.readdir(dir, { withFileTypes: true })).filter((e) => !e.name.startsWith('.')).sort((a, b) => a.name.localeCompare(b.name));
  const files: string[] = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(full)));
    else if (entry.isFile()) files.push(full);
  }
  return files;
}
