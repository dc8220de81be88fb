import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { env } from '@/lib/config/env';
import { getDb } from '@/lib/db/client';
import { multipartBoundary, readMultipart } from '@/lib/dicomweb/multipart';
import { AppError } from '@/lib/errors/app-error';
import { appendEntry } from '@/lib/ledger/append-entry';
import { pseudonymOf } from '@/lib/ledger/pseudonym';
import { ZModelManifest } from './manifest';
import { listModels, loadModel, refreshModels, type RegisteredModel } from './registry';
import { releaseSession } from './session-pool';

const MAX_MANIFEST_BYTES = 256 * 1024;
const UPLOADED_FILE = 'upload.onnx';

export type InstallModelRequest = { body: ReadableStream<Uint8Array> | null; contentType: string | null; actorUserId: string };

/**
 * Adds a model to the registry from a multipart/form-data upload of two fields, `manifest` (its
 * manifest.json) and `model` (the .onnx file, streamed to disk, never held in memory). The model is
 * checked exactly as the shipped ones are at start (manifest schema, SHA-256, graph against manifest,
 * one run on a dummy input) in a staging folder, and only a model that passes becomes
 * <data>/models/<name>, with a `model.registered` ledger entry. Anything wrong: a clear error, and
 * the staging folder is gone.
 */
export async function installModel({ body, contentType, actorUserId }: InstallModelRequest): Promise<RegisteredModel> {
  const boundary = multipartBoundary(contentType, 'form-data');
  if (!body) throw new AppError('BAD_REQUEST', 'The request has no body.');
  const root = env.uploadedModelsDir;
  const staging = path.join(root, `.incoming-${randomUUID()}`);
  await mkdir(staging, { recursive: true });
  let checked: RegisteredModel | null = null;
  try {
    const manifestJson = await receiveParts(body, boundary, staging);
    const parsed = ZModelManifest.safeParse(manifestJson);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
      throw new AppError('BAD_REQUEST', `The manifest is not valid: ${problems.join('; ')}`, { problems });
    }
    const manifest = parsed.data;
    const taken = (await listModels()).find((m) => m.name === manifest.name);
    if (taken) throw new AppError('CONFLICT', `The registry already has a model named "${manifest.name}"${taken.manifest ? ` (version ${taken.manifest.version})` : ''}: give the new one its own name.`);
    await rename(path.join(staging, UPLOADED_FILE), path.join(staging, manifest.file));

    checked = await loadModel(staging);
    if (checked.status !== 'ready') {
      throw new AppError('BAD_REQUEST', `The model did not pass its checks: ${checked.problems.join(' ')}`, { problems: checked.problems });
    }
    const dir = path.join(root, manifest.name);
    await rename(staging, dir).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOTEMPTY' || err.code === 'EEXIST') throw new AppError('CONFLICT', `A model folder "${manifest.name}" is already there.`);
      throw err;
    });
    try {
      await getDb().$transaction((tx) =>
        appendEntry(tx, {
          type: 'model.registered',
          actor: pseudonymOf(actorUserId),
          subjects: [checked!.sha256!],
          payload: { model: manifest.name, modelVersion: manifest.version, task: manifest.task, modelSha256: checked!.sha256!, manifestHash: checked!.manifestHash! },
        }),
      );
    } catch (err) {
      // Unrecorded means not registered.
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
    refreshModels();
    return { ...checked, dir };
  } catch (err) {
    // A model that failed its checks keeps no session.
    if (checked?.sha256 && checked.status !== 'ready') await releaseSession(checked.sha256);
    throw err;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Reads the two form fields into `staging`: the .onnx as UPLOADED_FILE; returns the manifest's JSON. */
async function receiveParts(body: ReadableStream<Uint8Array>, boundary: string, staging: string): Promise<unknown> {
  let manifest: unknown;
  let gotModel = false;
  // Node's ReadableStream is async-iterable; the DOM typings do not say so.
  for await (const part of readMultipart(body as unknown as AsyncIterable<Uint8Array>, boundary)) {
    const field = formFieldName(part.headers.get('content-disposition'));
    if (field === 'manifest') {
      if (manifest !== undefined) throw new AppError('BAD_REQUEST', 'The upload has two manifests.');
      const text = await readSmall(part.body, MAX_MANIFEST_BYTES, 'The manifest');
      try {
        manifest = JSON.parse(text);
      } catch (err) {
        throw new AppError('BAD_REQUEST', `The manifest is not JSON: ${err instanceof Error ? err.message : String(err)}`);
      }
      await writeFile(path.join(staging, 'manifest.json'), text);
    } else if (field === 'model') {
      if (gotModel) throw new AppError('BAD_REQUEST', 'The upload has two model files.');
      gotModel = true;
      await pipeline(capped(part.body, env.COHORT_MAX_MODEL_BYTES), createWriteStream(path.join(staging, UPLOADED_FILE)));
    } else {
      throw new AppError('BAD_REQUEST', `Unexpected form field "${field ?? '(unnamed)'}": send "manifest" and "model".`);
    }
  }
  if (manifest === undefined) throw new AppError('BAD_REQUEST', 'The upload has no manifest (form field "manifest").');
  if (!gotModel) throw new AppError('BAD_REQUEST', 'The upload has no model file (form field "model").');
  return manifest;
}

/** The `name` of a form-data part's Content-Disposition (RFC 7578). */
export function formFieldName(disposition: string | null): string | undefined {
  return /(?:^|;)\s*name="([^"]*)"/i.exec(disposition ?? '')?.[1] ?? /(?:^|;)\s*name=([^;\s]+)/i.exec(disposition ?? '')?.[1];
}

async function readSmall(stream: AsyncIterable<Uint8Array>, limit: number, what: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of capped(stream, limit, what)) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

async function* capped(stream: AsyncIterable<Uint8Array>, limit: number, what = 'The model file'): AsyncGenerator<Uint8Array> {
  let bytes = 0;
  for await (const chunk of stream) {
    bytes += chunk.length;
    if (bytes > limit) throw new AppError('PAYLOAD_TOO_LARGE', `${what} is larger than ${limit.toLocaleString('en')} bytes (COHORT_MAX_MODEL_BYTES for models).`);
    yield chunk;
  }
}
