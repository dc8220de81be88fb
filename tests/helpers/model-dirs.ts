import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const SHIPPED_MODEL = path.resolve('models/ct-body-lungs-bone');

/**
 * A copy of a model folder in a temp directory, changed by `edit` (the manifest as JSON, the .onnx
 * bytes): for tests of what the registry refuses. `rehash` writes the new file's SHA-256 into the manifest.
 */
export function modelVariant(edit: { manifest?: (m: Record<string, unknown>) => void; onnx?: Uint8Array; rehash?: boolean; rawManifest?: string }, from = SHIPPED_MODEL): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'cohort-model-')), path.basename(from));
  cpSync(from, dir, { recursive: true });
  if (edit.onnx) writeFileSync(path.join(dir, 'model.onnx'), edit.onnx);
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  edit.manifest?.(manifest);
  if (edit.rehash) manifest.sha256 = createHash('sha256').update(readFileSync(path.join(dir, 'model.onnx'))).digest('hex');
  writeFileSync(path.join(dir, 'manifest.json'), edit.rawManifest ?? JSON.stringify(manifest, null, 2));
  return dir;
}
