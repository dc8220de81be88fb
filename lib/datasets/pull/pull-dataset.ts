import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '@/lib/errors/app-error';
import type { IpfsBackend } from '@/lib/ipfs/ipfs-backend';
import { decryptFile, keyIdOf } from '../export/file-encryption';
import { verifyManifest } from '../manifest/verify-manifest';
import type { Manifest } from '../manifest/manifest-schema';
import type { DatasetKeyFile } from '../version-key';
import { inFormat, type PullFormat } from './pull-formats';

export type PullProgress = { done: number; total: number; file: string };

export type PullReport = {
  ok: boolean;
  cid: string;
  manifest: Manifest | null;
  studies: number;
  files: number;
  bytes: number;
  contributors: number;
  consentVerified: number;
  problems: string[];
};

/**
 * Fetches a published version from `ipfs` (a node connected to a peer that has it, or one holding a
 * CAR fetched from a gateway; every block is checked against its CID as it arrives), verifies it and
 * writes it to `out`: the manifest's signature (against `trustedVerifierKey` when given) and consent
 * proofs, then every file the manifest lists: its CID in the directory, its size and SHA-256, and for
 * a private version its decryption with `key` and the plaintext's SHA-256 (only the files of `format`). Files are written only once
 * verified; the report lists every problem and `ok` is true only when there is none.
 */
export async function pullDataset({
  ipfs,
  cid,
  out,
  key,
  trustedVerifierKey,
  format = 'all',
  onProgress,
}: {
  ipfs: IpfsBackend;
  cid: string;
  out: string;
  key?: DatasetKeyFile;
  trustedVerifierKey?: string;
  /** Which layout to write (pull-formats.ts); the others' files are not fetched. */
  format?: PullFormat;
  onProgress?: (p: PullProgress) => void;
}): Promise<PullReport> {
  const manifestBytes = await readAll(ipfs, cid, 'manifest.json').catch((err: unknown) => {
    if (err instanceof AppError && err.code === 'NOT_FOUND') throw new AppError('NOT_FOUND', `${cid} is not a Cohort dataset: it has no manifest.json.`);
    throw err;
  });
  const signature = (await readAll(ipfs, cid, 'manifest.sig')).toString('utf8');
  const verdict = verifyManifest(manifestBytes, signature, { trustedVerifierKey });
  const problems = [...verdict.problems];
  const manifest = verdict.manifest;
  const report = (extra: Partial<PullReport> = {}): PullReport => ({
    ok: problems.length === 0,
    cid,
    manifest,
    studies: manifest?.studies.length ?? 0,
    files: 0,
    bytes: 0,
    contributors: manifest?.contributors.length ?? 0,
    consentVerified: verdict.consentVerified,
    problems,
    ...extra,
  });
  if (!manifest) return report();

  let dataKey: Buffer | null = null;
  if (manifest.encryption) {
    if (!key) return (problems.push('This version is encrypted: pass the key file you were given (--key).'), report());
    dataKey = Buffer.from(key.key, 'base64');
    if (keyIdOf(dataKey) !== manifest.encryption.keyId) return (problems.push(`The key file is for another version (key ${key.keyId}, this version needs ${manifest.encryption.keyId}).`), report());
  }

  await fs.mkdir(out, { recursive: true });
  const wanted = manifest.files.filter((f) => inFormat(format, f.path));
  if (!wanted.some((f) => f.kind !== 'card' && f.kind !== 'csv')) problems.push(`This version has no ${format} files.`);
  let files = 0;
  let bytes = 0;
  for (const [i, file] of wanted.entries()) {
    onProgress?.({ done: i, total: wanted.length, file: file.path });
    const problem = await pullFile(ipfs, cid, file, dataKey, out).catch((err: unknown) => `${file.path}: ${(err as Error).message}`);
    if (problem) problems.push(problem);
    else {
      files += 1;
      bytes += file.plain?.size ?? file.size;
    }
  }
  await fs.writeFile(path.join(out, 'manifest.json'), manifestBytes);
  await fs.writeFile(path.join(out, 'manifest.sig'), signature);
  onProgress?.({ done: wanted.length, total: wanted.length, file: '' });
  return report({ files, bytes });
}

/** Fetches, checks and writes one file; the problem when it does not verify. */
async function pullFile(ipfs: IpfsBackend, root: string, file: Manifest['files'][number], key: Buffer | null, out: string): Promise<string | null> {
  const stat = await ipfs.stat(root, file.path);
  if (stat.cid !== file.cid) return `${file.path}: its CID in the directory (${stat.cid}) is not the manifest's (${file.cid})`;
  const sealed = await readAll(ipfs, root, file.path);
  if (sealed.length !== file.size || sha256(sealed) !== file.sha256) return `${file.path}: its bytes do not match the manifest's SHA-256`;
  let bytes = sealed;
  if (key) {
    bytes = decryptFile(key, file.path, sealed);
    if (!file.plain || sha256(bytes) !== file.plain.sha256) return `${file.path}: decrypted, it does not match the manifest's SHA-256`;
  }
  const target = path.resolve(out, file.path);
  if (!target.startsWith(path.resolve(out) + path.sep)) return `${file.path}: a path outside the output directory`;
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.writeFile(target, bytes);
  return null;
}

async function readAll(ipfs: IpfsBackend, cid: string, file: string): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of ipfs.cat(cid, { path: file })) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
