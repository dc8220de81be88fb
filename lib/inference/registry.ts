import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { env } from '@/lib/config/env';
import { AppError } from '@/lib/errors/app-error';
import { canonicalize } from '@/lib/ledger/canonical-json';
import { ZModelManifest, type ModelManifest } from './manifest';
import { sessionFor } from './session-pool';

export type GraphValue = { name: string; type: string; shape: (number | string)[] };

/** A model folder as the registry found it: ready to run, or invalid with the reasons why. */
export type RegisteredModel = {
  /** The folder's name (the manifest's name once valid). */
  name: string;
  dir: string;
  manifest: ModelManifest | null;
  /** SHA-256 of the manifest's canonical JSON (RFC 8785): what provenance records cite. */
  manifestHash: string | null;
  /** SHA-256 of the .onnx file as found on disk. */
  sha256: string | null;
  bytes: number | null;
  graph: { inputs: GraphValue[]; outputs: GraphValue[] } | null;
  status: 'ready' | 'invalid';
  problems: string[];
};

export type ReadyModel = RegisteredModel & { status: 'ready'; manifest: ModelManifest; manifestHash: string; sha256: string; graph: NonNullable<RegisteredModel['graph']> };

/**
 * Reads one model folder and checks everything before the model may run: the manifest against its
 * schema, the .onnx file against the manifest's SHA-256, the graph's inputs and outputs against the
 * manifest's specs, and one run on a dummy input of the declared shape. Never throws: what is wrong
 * is in `problems`, for the registry page to show.
 */
export async function loadModel(dir: string): Promise<RegisteredModel> {
  const model: RegisteredModel = { name: path.basename(dir), dir, manifest: null, manifestHash: null, sha256: null, bytes: null, graph: null, status: 'invalid', problems: [] };
  const fail = (problem: string) => {
    model.problems.push(problem);
    return model;
  };

  let json: unknown;
  try {
    json = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
  } catch (err) {
    return fail(`manifest.json cannot be read: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = ZModelManifest.safeParse(json);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) model.problems.push(`manifest.json ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    return model;
  }
  const manifest = parsed.data;
  model.manifest = manifest;
  model.name = manifest.name;
  model.manifestHash = createHash('sha256').update(canonicalize(manifest)).digest('hex');

  let bytes: Buffer;
  try {
    bytes = await readFile(path.join(dir, manifest.file));
  } catch {
    return fail(`${manifest.file} is missing from ${path.basename(dir)}/.`);
  }
  model.bytes = bytes.length;
  model.sha256 = createHash('sha256').update(bytes).digest('hex');
  if (model.sha256 !== manifest.sha256) {
    return fail(`${manifest.file} has SHA-256 ${model.sha256}, the manifest says ${manifest.sha256}: the file is not the one the manifest describes.`);
  }

  let session: ort.InferenceSession;
  try {
    session = await sessionFor(model.sha256, async () => bytes);
  } catch (err) {
    return fail(`ONNX Runtime cannot load ${manifest.file}: ${firstLine(err)}`);
  }
  model.graph = { inputs: session.inputMetadata.map(graphValue), outputs: session.outputMetadata.map(graphValue) };
  const mismatches = graphMismatches(manifest, model.graph);
  if (mismatches.length) {
    model.problems.push(...mismatches);
    return model;
  }
  try {
    await dummyRun(session, manifest);
  } catch (err) {
    return fail(`A run on a dummy ${manifest.input.layout} input failed: ${firstLine(err)}`);
  }
  model.status = 'ready';
  return model;
}

function graphValue(m: ort.InferenceSession.ValueMetadata): GraphValue {
  return m.isTensor ? { name: m.name, type: m.type, shape: [...m.shape] } : { name: m.name, type: 'non-tensor', shape: [] };
}

/** Where the graph and the manifest disagree (input and output names, element types, ranks, sizes). */
export function graphMismatches(manifest: ModelManifest, graph: NonNullable<RegisteredModel['graph']>): string[] {
  const problems: string[] = [];
  const names = (values: GraphValue[]) => values.map((v) => v.name).join(', ');
  const input = graph.inputs.find((i) => i.name === manifest.input.name);
  if (!input) problems.push(`The graph has no input "${manifest.input.name}" (it has: ${names(graph.inputs)}).`);
  else {
    if (input.type !== manifest.input.dtype) problems.push(`Input "${input.name}" is ${input.type}, the manifest says ${manifest.input.dtype}.`);
    const expected = [null, manifest.input.channels, ...manifest.input.size];
    if (input.shape.length !== expected.length) problems.push(`Input "${input.name}" has rank ${input.shape.length}; ${manifest.input.layout} is rank ${expected.length}.`);
    else
      input.shape.forEach((dim, i) => {
        const want = expected[i];
        if (typeof dim === 'number' && want !== null && want !== undefined && dim !== want) {
          problems.push(`Input "${input.name}" dimension ${i} is ${dim}, the manifest says ${want}.`);
        }
      });
  }
  const extraInputs = graph.inputs.filter((i) => i.name !== manifest.input.name);
  if (extraInputs.length) problems.push(`The graph takes inputs the manifest does not describe: ${names(extraInputs)}.`);
  const output = graph.outputs.find((o) => o.name === manifest.output.name);
  if (!output) problems.push(`The graph has no output "${manifest.output.name}" (it has: ${names(graph.outputs)}).`);
  else {
    const highest = Math.max(...manifest.output.classes.map((c) => c.index));
    const rank = { scores: 2 + manifest.input.size.length, labels: null, boxes: 3, 'class-scores': 2 }[manifest.output.kind];
    if (rank !== null && output.shape.length !== rank) problems.push(`Output "${output.name}" has rank ${output.shape.length}; a ${manifest.output.kind} output is rank ${rank}.`);
    else if (manifest.output.kind === 'scores' || manifest.output.kind === 'class-scores') {
      const channels = output.shape[1];
      if (typeof channels === 'number' && channels <= highest) problems.push(`Output "${output.name}" has ${channels} class channels; the manifest names class ${highest}.`);
    }
  }
  return problems;
}

async function dummyRun(session: ort.InferenceSession, manifest: ModelManifest) {
  const dims = [1, manifest.input.channels, ...manifest.input.size];
  const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
  const outputs = await session.run({ [manifest.input.name]: new ort.Tensor('float32', data, dims) });
  for (const out of Object.values(outputs)) out.dispose();
}

const firstLine = (err: unknown) => (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 500);

type Registry = Promise<RegisteredModel[]>;

/**
 * Every model folder, shipped (COHORT_MODELS_DIR) and uploaded (<data>/models), loaded and checked
 * once and then cached. A name is one model: a second folder claiming it is listed as invalid.
 */
export function listModels(): Registry {
  const g = globalThis as { __cohortModels?: Registry };
  g.__cohortModels ??= scan([env.modelsDir, env.uploadedModelsDir]);
  return g.__cohortModels;
}

/** Forgets the cached registry (after a model is added); the next listModels scans again. */
export function refreshModels(): void {
  delete (globalThis as { __cohortModels?: Registry }).__cohortModels;
}

/** The model folders under `root` (those with a manifest.json; `.incoming-*` uploads are not folders of the registry yet). */
export async function modelFolders(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  const dirs = [];
  for (const e of entries) {
    if (!e.isDirectory() || e.name.startsWith('.')) continue;
    const dir = path.join(root, e.name);
    if (await stat(path.join(dir, 'manifest.json')).catch(() => null)) dirs.push(dir);
  }
  return dirs.sort();
}

async function scan(roots: string[]): Promise<RegisteredModel[]> {
  // One at a time: sessions and dummy runs use every core already.
  const models: RegisteredModel[] = [];
  for (const root of roots) {
    for (const dir of await modelFolders(root)) {
      const model = await loadModel(dir);
      const first = models.find((m) => m.name === model.name);
      if (first) {
        model.status = 'invalid';
        model.problems.push(`The name "${model.name}" is already the model in ${path.relative(process.cwd(), first.dir) || first.dir}; this copy is ignored.`);
      }
      models.push(model);
    }
  }
  return models;
}

/** The named model, ready to run: NOT_FOUND when there is none, CONFLICT (with the reasons) when it is invalid. */
export async function requireModel(name: string): Promise<ReadyModel> {
  const model = (await listModels()).find((m) => m.name === name);
  if (!model) throw new AppError('NOT_FOUND', `No model "${name}" in the registry.`);
  if (model.status !== 'ready') throw new AppError('CONFLICT', `The model "${name}" cannot run: ${model.problems.join(' ')}`);
  return model as ReadyModel;
}
