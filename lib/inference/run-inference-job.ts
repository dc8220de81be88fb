import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { flushAccessLog, recordAccess } from '@/lib/access-log/record-access';
import { z } from 'zod';
import { encodeLabelmapRle, summarizeLabelmapRle } from '@/lib/annotations/labelmap-rle.client';
import type { LabelSchema } from '@/lib/annotations/label-schema';
import { env } from '@/lib/config/env';
import { getDb } from '@/lib/db/client';
import { framePixels } from '@/lib/dicom/frame-pixels';
import { orderStack, sliceLocation, type InstanceJson, type SeriesStack } from '@/lib/dicom/stack-order.client';
import { retrieveMetadata } from '@/lib/dicomweb/wado-metadata';
import { AppError } from '@/lib/errors/app-error';
import { finishJob, reportProgress } from '@/lib/jobs/job-queue';
import { appendEntry } from '@/lib/ledger/append-entry';
import { pseudonymOf, studyReference, SYSTEM_ACTOR } from '@/lib/ledger/pseudonym';
import { parseStoredSchema } from '@/lib/projects/schema-version';
import { getBlobStore } from '@/lib/storage/get-blob-store';
import { classProbabilities, seriesProbabilities } from './class-probabilities';
import { choiceMapping, regionMapping, segmentMapping } from './class-mapping';
import { detectionsOf, type Box } from './detections';
import type { ModelManifest } from './manifest';
import { sliceValues, type SliceSamples } from './preprocess';
import { encodeProposalContent, type ProposedRegion, type ProposedScore } from './proposal-content';
import { requireModel, type ReadyModel } from './registry';
import { segmentSlices } from './segment-slices';
import { sliceOutputs, type SliceRunStats } from './slice-outputs';
import { segmentVolume, volumeMemoryBytes, type VolumeRunStats } from './segment-volume';
import { sessionOptions } from './session-pool';

export const ZInferenceJobParams = z
  .object({
    projectId: z.string().min(1).max(64),
    studyId: z.string().min(1).max(64),
    seriesInstanceUid: z.string().regex(/^[0-9.]{1,64}$/),
    modelName: z.string().min(1).max(64),
  })
  .strict();
export type InferenceJobParams = z.infer<typeof ZInferenceJobParams>;

/** A 3D model's volume, scores and weights must fit in this: half the machine's memory. */
const MAX_VOLUME_BYTES = os.totalmem() / 2;
const gib = (bytes: number) => (bytes / 1024 ** 3).toFixed(1);

export type InferenceJobResult = { proposalId: string; task: ModelManifest['task']; counts: Record<string, number>; unmatchedClasses: string[]; slices: number; runMs: number };

/**
 * Runs a pre-annotation job (in the job worker process): the series' slices in viewing order,
 * decoded, through the model, mapped to the project schema's classes (segments, box classes or a
 * question's choices, as the model's task goes), and stored at the end in one
 * transaction as an AI proposal with its provenance and an `inference.completed` ledger entry. A
 * failure or a cancellation before that leaves nothing behind but the job's status and reason.
 */
export async function runInferenceJob(jobId: string): Promise<void> {
  const job = await getDb().job.findUniqueOrThrow({ where: { id: jobId } });
  try {
    const params = ZInferenceJobParams.parse(JSON.parse(job.params));
    const result = await infer(jobId, params, job.createdById);
    if (result === 'cancelled') await finishJob(jobId, 'cancelled', { message: 'Cancelled: nothing was stored' });
  } catch (err) {
    const reason = err instanceof AppError || err instanceof z.ZodError ? describe(err) : `Inference failed: ${err instanceof Error ? err.message : String(err)}`;
    await finishJob(jobId, 'failed', { error: reason });
  } finally {
    await flushAccessLog();
  }
}

function describe(err: AppError | z.ZodError): string {
  return err instanceof z.ZodError ? `Bad job parameters: ${err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` : err.message;
}

async function infer(jobId: string, params: InferenceJobParams, createdById: string | null): Promise<InferenceJobResult | 'cancelled'> {
  const db = getDb();
  const model = await requireModel(params.modelName);
  const { manifest } = model;
  const item = await db.projectStudy.findUnique({
    where: { projectId_studyId: { projectId: params.projectId, studyId: params.studyId } },
    include: { study: { select: { studyInstanceUid: true } } },
  });
  if (!item) throw new AppError('NOT_FOUND', 'The study is not in this project.');
  const series = await db.series.findFirst({ where: { seriesInstanceUid: params.seriesInstanceUid, studyId: params.studyId } });
  if (!series) throw new AppError('NOT_FOUND', 'The series is not in this study.');
  if (!manifest.modalities.includes(series.modality)) {
    throw new AppError('CONFLICT', `${manifest.title} is for ${manifest.modalities.join(', ')}; this series is ${series.modality || 'of no modality'}.`);
  }
  const schemaVersion = await db.labelSchemaVersion.findFirstOrThrow({ where: { projectId: params.projectId }, orderBy: { version: 'desc' } });
  const schema = parseStoredSchema(schemaVersion.schema);

  recordAccess({ study: { id: params.studyId }, seriesInstanceUid: series.seriesInstanceUid, by: { kind: 'model', modelName: params.modelName }, how: 'inference' });
  const metadata = await retrieveMetadata({ study: item.study.studyInstanceUid, series: series.seriesInstanceUid });
  const stack = orderStack(metadata as InstanceJson[]);
  const rows = await db.instance.findMany({ where: { seriesId: series.id } });
  const bySop = new Map(rows.map((r) => [r.sopInstanceUid, r]));
  const images = stack.images.map((image) => ({ image, row: bySop.get(image.sopInstanceUid)! }));
  const grid = new Set(images.map(({ row }) => `${row.rows}x${row.columns}`));
  if (images.length === 0) throw new AppError('CONFLICT', 'The series has no images.');
  // Image Type (0008,0008) value 3: a scout is a projection, not the cross-sections a slice model reads.
  if (images.some(({ image }) => (image.instance['00080008']?.Value ?? []).includes('LOCALIZER'))) {
    throw new AppError('CONFLICT', 'The series is a localizer (scout image), not cross-sectional slices: there is nothing for the model to segment.');
  }
  if (grid.size !== 1 || images.some(({ row }) => !row.rows || !row.columns)) throw new AppError('CONFLICT', `Inconsistent slice geometry: the series mixes image sizes (${[...grid].join(', ')}).`);
  if (images.length > 1 && stack.normal === null) throw new AppError('CONFLICT', 'Inconsistent slice geometry: the images do not share one orientation.');
  const bad = images.find(({ row }) => (row.samplesPerPixel ?? 1) !== 1 || ![8, 16].includes(row.bitsAllocated ?? 0));
  if (bad) throw new AppError('CONFLICT', `The model reads greyscale images of 8 or 16 bits; ${bad.row.sopInstanceUid} has ${bad.row.samplesPerPixel} samples of ${bad.row.bitsAllocated} bits.`);
  const columns = images[0]!.row.columns!;
  const height = images[0]!.row.rows!;
  const area = columns * height;
  const voxels = area * images.length;
  if (voxels > env.COHORT_INFERENCE_MAX_VOXELS) {
    throw new AppError('CONFLICT', `The series has ${voxels.toLocaleString('en')} voxels, more than the ${env.COHORT_INFERENCE_MAX_VOXELS.toLocaleString('en')} pre-annotation is allowed (COHORT_INFERENCE_MAX_VOXELS).`);
  }

  const total = images.length;
  await reportProgress(jobId, { done: 0, total, message: `Running ${manifest.name} on ${total} slices` });
  const controller = new AbortController();
  // The next slice is read from disk (on libuv's threads) while this one is prepared and run.
  async function* slices(): AsyncGenerator<JobSlice> {
    const read = (k: number) => framePixels(images[k]!.row, [images[k]!.image.frame]);
    let next = read(0);
    for (let k = 0; k < images.length; k++) {
      const [bytes] = await next;
      if (k + 1 < images.length) (next = read(k + 1)).catch(() => undefined);
      const { row, image } = images[k]!;
      yield {
        samples: samplesOf(bytes!, row.bitsAllocated!, row.pixelRepresentation ?? 0),
        rows: height,
        columns,
        slope: row.rescaleSlope ?? 1,
        intercept: row.rescaleIntercept ?? 0,
        sopInstanceUid: image.sopInstanceUid,
        frame: image.frame,
      };
    }
  }
  const run: JobRun = {
    manifest,
    model,
    schema,
    seriesInstanceUid: series.seriesInstanceUid,
    slices,
    total,
    rows: height,
    columns,
    signal: controller.signal,
    /** Progress for the UI, and whether someone asked to stop. */
    progress: async (done, of, message) => {
      const { cancelRequested } = await reportProgress(jobId, { done, total: of, message });
      if (cancelRequested) controller.abort();
    },
    volumeSpacing: () => {
      if (images.length > 1 && !stack.isVolume) throw new AppError('CONFLICT', 'Inconsistent slice geometry: a 3D model reads a volume, and these slices are not evenly spaced.');
      return volumeSpacing(stack, images[0]!.row.pixelSpacing);
    },
  };

  const started = performance.now();
  let output: ModelOutput;
  try {
    output = await { segmentation: segment, detection: detect, classification: classify }[manifest.task](run);
  } catch (err) {
    if (controller.signal.aborted) return 'cancelled';
    throw err;
  }
  const runMs = Math.round(performance.now() - started);

  const { counts, classes, unmatched } = output;
  const blob = await getBlobStore().put(output.bytes);
  const parameters = { mode: manifest.preprocessing.mode, ...sessionSummary(), classes, sessionRunMs: Math.round(output.sessionRunMs) };
  const result = await db.$transaction(async (tx) => {
    // Cancelled at the last moment: nothing is stored.
    const now = await tx.job.findUniqueOrThrow({ where: { id: jobId }, select: { cancelRequested: true } });
    if (now.cancelRequested) return 'cancelled' as const;
    const proposal = await tx.aiProposal.create({
      data: {
        projectId: params.projectId,
        studyId: params.studyId,
        seriesInstanceUid: series.seriesInstanceUid,
        jobId,
        task: manifest.task,
        modelName: manifest.name,
        modelVersion: manifest.version,
        modelSha256: model.sha256,
        manifestHash: model.manifestHash,
        parameters: JSON.stringify(parameters),
        schemaVersionId: schemaVersion.id,
        columns,
        rows: height,
        slices: total,
        outputSha256: blob.sha256,
        counts: JSON.stringify(counts),
        runMs,
      },
    });
    await appendEntry(tx, {
      type: 'inference.completed',
      actor: createdById ? pseudonymOf(createdById) : SYSTEM_ACTOR,
      subjects: [proposal.id, studyReference(item.study.studyInstanceUid)],
      payload: {
        project: params.projectId,
        task: manifest.task,
        model: manifest.name,
        modelVersion: manifest.version,
        modelSha256: model.sha256,
        manifestHash: model.manifestHash,
        outputSha256: blob.sha256,
        slices: total,
        runMs,
      },
    });
    const value: InferenceJobResult = { proposalId: proposal.id, task: manifest.task, counts, unmatchedClasses: unmatched, slices: total, runMs };
    await finishJob(jobId, 'succeeded', { result: value, message: `Proposal ready: ${total} ${total === 1 ? 'slice' : 'slices'} in ${(runMs / 1000).toFixed(1)} s` }, tx);
    return value;
  });
  return result;
}

type JobSlice = SliceSamples & { sopInstanceUid: string; frame: number };

/** What a task's run needs from the job: the model, the project's schema, the series' slices in stack order, progress. */
type JobRun = {
  manifest: ModelManifest;
  model: ReadyModel;
  schema: LabelSchema;
  seriesInstanceUid: string;
  slices: () => AsyncGenerator<JobSlice>;
  total: number;
  /** Every slice's size. */
  rows: number;
  columns: number;
  signal: AbortSignal;
  progress: (done: number, of: number, message: string) => Promise<void>;
  /** The series' [slice, row, column] spacing for 3D models: refused when its slices are not evenly spaced. */
  volumeSpacing: () => [number, number, number] | null;
};

/**
 * What a task's run gives: the proposal's bytes for the blob store, what it found (`counts`: voxels
 * per segment value, boxes per region class, or probability per choice), and how the model's classes
 * map to the schema's.
 */
type ModelOutput = { bytes: Uint8Array; counts: Record<string, number>; classes: unknown[]; unmatched: string[]; sessionRunMs: number };

/** Reports progress once per batch of a 2D model. */
const everyBatch = (run: JobRun, k: number) => k % (run.manifest.preprocessing.mode.kind === 'slice2d' ? run.manifest.preprocessing.mode.batch : 1) === 0 || k === run.total;

/** Segmentation: a labelmap over the series in the schema's segment values (rle1). */
async function segment(run: JobRun): Promise<ModelOutput> {
  const { manifest, model, total, rows, columns } = run;
  const mapping = segmentMapping(manifest, run.schema);
  const area = rows * columns;
  const labelmap = new Uint8Array(area * total);
  let sessionRunMs: number;
  if (manifest.preprocessing.mode.kind === 'slice2d') {
    const stats: SliceRunStats = { slices: 0, batches: 0, runMs: 0 };
    let k = 0;
    for await (const values of segmentSlices(model, run.slices(), { signal: run.signal, stats, classValues: mapping.valueOf })) {
      labelmap.set(values, k * area);
      k++;
      if (everyBatch(run, k)) await run.progress(k, total, `Slice ${k} of ${total}`);
    }
    sessionRunMs = stats.runMs;
  } else {
    const spacing = run.volumeSpacing();
    const needs = volumeMemoryBytes(manifest, [total, rows, columns], spacing);
    if (needs > MAX_VOLUME_BYTES) {
      throw new AppError('CONFLICT', `${manifest.name} would need about ${gib(needs)} GiB for this ${total}-slice series; the server allows ${gib(MAX_VOLUME_BYTES)} GiB (half its memory).`);
    }
    const values = new Float32Array(area * total);
    let k = 0;
    for await (const slice of run.slices()) {
      sliceValues(slice, manifest, values.subarray(k * area, (k + 1) * area));
      k++;
      if (k % 16 === 0 || k === total) await run.progress(k, total, `Reading slice ${k} of ${total}`);
      run.signal.throwIfAborted();
    }
    const stats: VolumeRunStats = { patches: 0, batches: 0, runMs: 0 };
    const classes = await segmentVolume(model, { values, slices: total, rows, columns, spacing }, {
      signal: run.signal,
      stats,
      onProgress: (done, patches) => run.progress(done, patches, `Patch ${done} of ${patches}`),
      classValues: mapping.valueOf,
    });
    labelmap.set(classes);
    sessionRunMs = stats.runMs;
  }
  const rle = encodeLabelmapRle(labelmap);
  const counts = Object.fromEntries(summarizeLabelmapRle(rle, labelmap.length).counts) as Record<string, number>;
  return { bytes: rle, counts, classes: mapping.used, unmatched: mapping.unmatched, sessionRunMs };
}

/** Detection: the boxes kept on each slice, as regions of the schema's box classes with their scores. */
async function detect(run: JobRun): Promise<ModelOutput> {
  const { manifest, model, total } = run;
  const mapping = regionMapping(manifest, run.schema);
  const stats: SliceRunStats = { slices: 0, batches: 0, runMs: 0 };
  const regions: ProposedRegion[] = [];
  let k = 0;
  for await (const { slice, data, dims } of sliceOutputs(model, run.slices(), { signal: run.signal, stats })) {
    const { sopInstanceUid, frame } = slice;
    for (const d of detectionsOf(data, dims, manifest, slice)) {
      const classId = mapping.classIdOf.get(d.classIndex);
      if (!classId) continue;
      const [x1, y1, x2, y2] = d.box.map((v) => Math.round(v * 100) / 100) as Box;
      regions.push({ id: randomUUID(), classId, shape: 'box', seriesInstanceUid: run.seriesInstanceUid, sopInstanceUid, frame, points: [[x1, y1], [x2, y2]], score: Math.round(d.score * 1e4) / 1e4 });
    }
    k++;
    if (everyBatch(run, k)) await run.progress(k, total, `Slice ${k} of ${total}: ${regions.length} ${regions.length === 1 ? 'box' : 'boxes'} so far`);
  }
  const counts: Record<string, number> = {};
  for (const r of regions) counts[r.classId] = (counts[r.classId] ?? 0) + 1;
  return { bytes: encodeProposalContent({ regions, answers: [], scores: [] }), counts, classes: mapping.used, unmatched: mapping.unmatched, sessionRunMs: stats.runMs };
}

/**
 * Classification: the series' class probabilities (each slice's, aggregated as the manifest says) and
 * the answer they give to the schema question the classes are choices of: the most probable choice,
 * or every choice at or over the threshold for a question taking several.
 */
async function classify(run: JobRun): Promise<ModelOutput> {
  const { manifest, model, total } = run;
  const mapping = choiceMapping(manifest, run.schema);
  const stats: SliceRunStats = { slices: 0, batches: 0, runMs: 0 };
  const series = seriesProbabilities(manifest);
  let k = 0;
  for await (const { data } of sliceOutputs(model, run.slices(), { signal: run.signal, stats })) {
    series.add(classProbabilities(data, manifest));
    k++;
    if (everyBatch(run, k)) await run.progress(k, total, `Slice ${k} of ${total}`);
  }
  const probabilities = series.result();
  const scores: ProposedScore[] = manifest.output.classes.map((c, i) => ({ class: c.name, choiceId: mapping.choiceOf[i] ?? null, probability: Math.round(probabilities[i]! * 1e4) / 1e4 }));
  const choices = scores.filter((s) => s.choiceId !== null);
  const chosen = mapping.multiple
    ? choices.filter((s) => s.probability >= manifest.postprocessing.threshold)
    : choices.filter((s) => s.probability === Math.max(...choices.map((c) => c.probability))).slice(0, 1);
  const answers = chosen.length
    ? [{ questionId: mapping.questionId, choiceIds: chosen.map((s) => s.choiceId!), ...(mapping.level === 'series' ? { seriesInstanceUid: run.seriesInstanceUid } : {}) }]
    : [];
  const counts = Object.fromEntries(choices.map((s) => [s.choiceId!, s.probability]));
  return {
    bytes: encodeProposalContent({ regions: [], answers, scores }),
    counts,
    classes: [{ question: mapping.questionId }, ...mapping.used],
    unmatched: mapping.unmatched,
    sessionRunMs: stats.runMs,
  };
}

/** [slice, row, column] spacing in mm of an evenly spaced stack, or null when its geometry does not say. */
function volumeSpacing(stack: SeriesStack, pixelSpacing: string | null): [number, number, number] | null {
  const [row, column] = (pixelSpacing ?? '').split('\\').map(Number);
  const first = sliceLocation(stack.images[0]!, stack.normal);
  const last = sliceLocation(stack.images.at(-1)!, stack.normal);
  const n = stack.images.length;
  // A single slice has no spacing between slices: the model's own is as good as any.
  const between = n > 1 && first !== null && last !== null ? Math.abs(last - first) / (n - 1) : null;
  if (!row || !column || !between) return null;
  return [between, row, column];
}

function samplesOf(bytes: Buffer, bitsAllocated: number, pixelRepresentation: number): ArrayLike<number> {
  if (bitsAllocated === 8) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  // Copied when unaligned: typed arrays over a Buffer need an even byte offset.
  const aligned = bytes.byteOffset % 2 === 0 ? bytes : Buffer.from(bytes);
  return pixelRepresentation === 1 ? new Int16Array(aligned.buffer, aligned.byteOffset, aligned.length / 2) : new Uint16Array(aligned.buffer, aligned.byteOffset, aligned.length / 2);
}

function sessionSummary() {
  const options = sessionOptions();
  return { executionProviders: (options.executionProviders ?? []).map(String), intraOpThreads: options.intraOpNumThreads ?? 0 };
}
