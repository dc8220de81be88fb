import fs from 'node:fs/promises';
import path from 'node:path';

/** A file of a dataset being published, as written to the staging directory. */
export type StagedFile = { path: string; kind: string; study?: string };

/**
 * Writes one file of the staging directory atomically (a crash never leaves half a file under its
 * name). `madeDirs`: directories already made by this writer, so a series' hundreds of files make
 * their folder once.
 */
export async function writeStaged(root: string, file: StagedFile, bytes: Uint8Array | string, madeDirs?: Set<string>): Promise<StagedFile> {
  const target = path.join(root, file.path);
  const dir = path.dirname(target);
  if (!madeDirs?.has(dir)) {
    await fs.mkdir(dir, { recursive: true });
    madeDirs?.add(dir);
  }
  const part = `${target}.part`;
  await fs.writeFile(part, bytes);
  await fs.rename(part, target);
  return file;
}
