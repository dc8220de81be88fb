import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { flushAccessLog, recordAccess } from '@/lib/access-log/record-access';
import { forEachConcurrently } from '@/lib/async/for-each-concurrently';
import { z } from 'zod';
import { env } from '@/lib/config/env';
import { getDb } from '@/lib/db/client';
import { AppError, isAppError } from '@/lib/errors/app-error';
import { getIpfs } from '@/lib/ipfs/get-ipfs';
import { finishJob, reportProgress } from '@/lib/jobs/job-queue';
import { createCheckpoint } from '@/lib/ledger/create-checkpoint';
import { getLogKey } from '@/lib/ledger/log-key';
import { log } from '@/lib/log/logger';
import { datasetKeys } from '../dataset-keys';
import { datasetCard } from '../export/dataset-card';
import { classificationsCsv, splitsCsv } from '../export/dataset-tables';
import { cocoAnnotationFiles } from '../export/coco-export';
import { DEIDENTIFICATION, type StudyExport, type TrainingLayout } from '../export/export-study';
import { monaiDatalist } from '../export/monai-datalist';
import { NNUNET_DEFAULT_ID, nnunetLayout } from '../export/nnunet-layout';
import { datasetSchema } from '../dataset-schema';
import { keyIdOf } from '../export/file-encryption';
import type { ManifestFile } from '../manifest/manifest-schema';
import { findContributors } from '../find-contributors';
import { selectDatasetStudies, type IncludedStudy } from '../select-dataset-studies';
import type { Dataset } from '../stored-dataset';
import { summarizeSelection } from '../summarize-selection';
import { openVersionKey } from '../version-key';
import { buildManifest } from './build-manifest';
import { ConsentChangedError, finalizePublication } from './finalize-publication';
import { exportStudyOnce } from './export-once';
import { publicationWriter, readChunks, stagingDirs } from './publication-files';
import { startStreamingAdd, type StreamingAdd } from './streaming-add';
import type { IpfsAddResult } from '@/lib/ipfs/ipfs-backend';

export const ZPublishJobParams = z.object({ versionId: z.string().min(1) });

/** How often a version is prepared again because consent changed while it was being prepared. */
const MAX_CONSENT_RETRIES = 3;
const EXPORT_PARALLELISM = 2;
/** How much of a study's published bytes comes back from its export in memory for the add; more is read back from the staging directory. */
const STUDY_HELD_BYTES = 96 * 1024 * 1024;

class PublishCancelled extends Error {}

export type PublishResult = { versionId: string; version: number; rootCid: string; ledgerSeq: number; studies: number; files: number; bytes: number };

/** The `publish` job: prepares, adds and records one dataset version; a failure leaves no published version behind. */
export async function runPublishJob(jobId: string): Promise<void> {
  const job = await getDb().job.findUniqueOrThrow({ where: { id: jobId }, select: { params: true } });
  const { versionId } = ZPublishJobParams.parse(JSON.parse(job.params));
  const report = async (fraction: number, message: string) => {
    const { cancelRequested } = await reportProgress(jobId, { done: Math.round(fraction * 1000), total: 1000, message });
    if (cancelRequested) throw new PublishCancelled('Cancelled');
  };
  try {
    const result = await publishVersion(versionId, report);
    await finishJob(jobId, 'succeeded', { result, message: `Published version ${result.version}` });
  } catch (err) {
    const cancelled = err instanceof PublishCancelled;
    const reason = cancelled ? 'Cancelled before it was published.' : describeFailure(err);
    if (!cancelled && !isAppError(err) && !(err instanceof ConsentChangedError)) log.error('dataset publication failed', { versionId, err: (err as Error).stack ?? String(err) });
    await failVersion(versionId, reason);
    await finishJob(jobId, cancelled ? 'cancelled' : 'failed', { error: reason });
  } finally {
    await flushAccessLog();
  }
}

/**
 * Publishes a version prepared by startPublication: selects the studies (consent as of now), exports
 * them de-identified into a staging directory (resuming studies already exported by an interrupted
 * run), encrypts (private versions), signs the manifest, adds everything to IPFS as one pinned
 * directory (study by study, while the rest is still being exported), and records it
 * (finalizePublication). Consent that changes meanwhile makes it start over
 * without the study; a version is in the ledger only once all of this has succeeded.
 */
export async function publishVersion(versionId: string, report: (fraction: number, message: string) => Promise<void> = async () => {}): Promise<PublishResult> {
  const db = getDb();
  const row = await db.datasetVersion.findUniqueOrThrow({ where: { id: versionId } });
  if (row.status !== 'publishing') throw new AppError('CONFLICT', `This version is ${row.status}.`);
  const dataset = JSON.parse(row.definition) as Dataset;
  const keys = datasetKeys(dataset.id);
  const key = row.sealedKey ? openVersionKey(row.sealedKey) : null;
  const root = path.join(env.dataDir, 'publish', versionId);
  const dirs = stagingDirs(root);
  await fs.mkdir(dirs.studies, { recursive: true });
  const ipfs = await getIpfs();
  const training: TrainingLayout = { nnunet: { id: NNUNET_DEFAULT_ID, name: dataset.name }, schema: await datasetSchema(dataset.projectIds) };

  for (let attempt = 1; ; attempt++) {
    await report(0.01, 'Checking labels and consent');
    const selection = await selectDatasetStudies(dataset);
    if (!selection.included.length) throw new AppError('BAD_REQUEST', 'No study can be published: none has an eligible label and a recorded consent for this use (see the preview).');

    // The add runs alongside the export: each study's files go to IPFS once the study is exported
    // (a study dropped half-way, for burned-in text, must add nothing), the version's own files after.
    let progress: { total: number; lastReport: number } | null = null;
    const adding = startStreamingAdd(ipfs, (bytes) => {
      if (!progress || Date.now() - progress.lastReport < 500) return;
      progress.lastReport = Date.now();
      void report(0.7 + (0.25 * bytes) / progress.total, `Adding to IPFS: ${Math.round((100 * bytes) / progress.total)}%`).catch(() => undefined);
    });
    let added: IpfsAddResult;
    let prepared: Awaited<ReturnType<typeof prepareVersion>>;
    try {
      prepared = await prepareVersion({ versionId, dataset, selection, key, keys, training, dirs, root, adding, report });
      progress = { total: prepared.total, lastReport: 0 };
      await report(0.7, 'Adding to IPFS');
      added = await adding.finish();
    } catch (err) {
      await adding.abort(err);
      throw err;
    }
    const { studies, files, manifest, summary, dropped, exported, total } = prepared;

    await report(0.96, 'Recording the publication in the ledger');
    try {
      const final = await finalizePublication({
        versionId,
        datasetId: dataset.id,
        actorId: row.createdById,
        purpose: dataset.purpose,
        encrypted: key !== null,
        rootCid: added.cid,
        manifestSha256: sha256Hex(manifest.bytes),
        checkpointSize: manifest.manifest.checkpoint.treeSize,
        studies: studies.map((s) => ({ studyId: s.studyId, split: s.split, pseudonym: keys.studyPseudonym(s.studyId), consentLedgerSeq: s.consent.ledgerSeq! })),
        fileCount: files.length + 2,
        bytes: total,
        summary: { ...summary, droppedAtExport: dropped.map((d) => d.reason), niftiSkipped: exported.flatMap((e) => e.result.niftiSkipped) },
      });
      // Every publication gets a checkpoint of its own, covering its entry.
      await createCheckpoint();
      await fs.rm(root, { recursive: true, force: true });
      return { versionId, version: final.version, rootCid: added.cid, ledgerSeq: final.ledgerSeq, studies: studies.length, files: files.length + 2, bytes: total };
    } catch (err) {
      if (!(err instanceof ConsentChangedError) || attempt >= MAX_CONSENT_RETRIES) {
        await ipfs.unpin(added.cid).catch(() => undefined);
        throw err;
      }
      await ipfs.unpin(added.cid).catch(() => undefined);
      log.info('consent changed during publication; preparing the version again', { versionId, studies: err.studyIds.length });
    }
  }
}

/**
 * Writes the version into the staging directory and hands every file to the add: the selected
 * studies exported two at a time, the tables, training layouts and dataset card, then the signed
 * manifest. Returns what the ledger entry and the result need.
 */
async function prepareVersion({
  versionId,
  dataset,
  selection,
  key,
  keys,
  training,
  dirs,
  root,
  adding,
  report,
}: {
  versionId: string;
  dataset: Dataset;
  selection: Awaited<ReturnType<typeof selectDatasetStudies>>;
  key: Uint8Array | null;
  keys: ReturnType<typeof datasetKeys>;
  training: TrainingLayout;
  dirs: ReturnType<typeof stagingDirs>;
  root: string;
  adding: StreamingAdd;
  report: (fraction: number, message: string) => Promise<void>;
}) {
  // Two studies at a time: one study's export waits on compression and the disk (off the main
  // thread) about as long as it computes, so a second one fills those waits, and so does the add.
  const results: StudyExport[] = [];
  let done = 0;
  await forEachConcurrently([...selection.included.entries()], EXPORT_PARALLELISM, async ([i, study]) => {
    const { result, held } = await exportStudyOnce({ study, datasetId: dataset.id, key, root, modalities: dataset.filters.modalities, training, heldBytes: STUDY_HELD_BYTES });
    results[i] = result;
    // Only a study that is published adds its files: from memory when just written, else from the disk (an earlier run's).
    if (result.ok) for (const f of result.files) await adding.add({ path: f.path, content: held.get(f.path) ?? readChunks(path.join(dirs.files, f.path)) });
    recordAccess({ study: { id: study.studyId }, by: { kind: 'dataset_export', datasetVersionId: versionId }, how: 'export' });
    done += 1;
    await report(0.02 + (0.6 * done) / selection.included.length, `De-identified ${done} of ${selection.included.length} studies`);
  });
  const exported: { study: IncludedStudy; result: Extract<StudyExport, { ok: true }> }[] = [];
  const dropped: { studyId: string; reason: string }[] = [];
  for (const [i, study] of selection.included.entries()) {
    const result = results[i]!;
    if (result.ok) exported.push({ study, result });
    else dropped.push({ studyId: study.studyId, reason: result.reason });
  }
  if (!exported.length) throw new AppError('BAD_REQUEST', 'No study can be published: every eligible study may show burned-in text.');

  const studies = exported.map((e) => e.study);
  const summary = summarizeSelection({
    at: selection.at,
    included: studies,
    excluded: [...selection.excluded, ...dropped.map((d) => ({ ...selection.included.find((s) => s.studyId === d.studyId)!, reasons: ['burned_in' as const] }))],
  });
  const contributors = await findContributors(studies);
  const models = new Map<string, { name: string; version: string; sha256: string; studies: number }>();
  for (const { result } of exported) {
    for (const m of result.models) {
      const entry = models.get(m.sha256) ?? { ...m, studies: 0 };
      entry.studies += 1;
      models.set(m.sha256, entry);
    }
  }
  const table = studies.map((s) => ({ id: keys.studyPseudonym(s.studyId), patient: keys.patientPseudonym(s.patientId), split: s.split, classes: s.classes }));
  const questions = new Set(studies.flatMap((s) => s.classes).filter((c) => c.includes(': ')).map((c) => c.slice(0, c.indexOf(': '))));
  const cases = exported.flatMap((e) => e.result.cases);
  const layouts = [
    ...nnunetLayout({ dataset: training.nnunet, segments: training.schema.segments, cases, description: dataset.description || undefined }).map((f) => ({ ...f, kind: 'nnunet-json' })),
    ...(cases.length ? [{ ...monaiDatalist({ name: dataset.name, segments: training.schema.segments, cases, description: dataset.description || undefined }), kind: 'monai-json' }] : []),
    ...cocoAnnotationFiles({ parts: exported.flatMap((e) => (e.result.coco ? [e.result.coco] : [])), schema: training.schema }).map((f) => ({ ...f, kind: 'coco-json' })),
  ];
  // The version's own files go to the add as they are written.
  const writer = publicationWriter(root, key, (p, bytes) => adding.add({ path: p, content: bytes }));
  const files: ManifestFile[] = [
    ...exported.flatMap((e) => e.result.files),
    await writer.write({ path: 'splits.csv', kind: 'csv' }, splitsCsv(table)),
    await writer.write({ path: 'labels/classifications.csv', kind: 'csv' }, classificationsCsv(table, questions)),
  ];
  for (const f of layouts) files.push(await writer.write({ path: f.path, kind: f.kind }, f.content));
  const deidentification = { profile: DEIDENTIFICATION.profile, options: [...DEIDENTIFICATION.options], privateTagsKept: 0 };
  files.push(
    await writer.write(
      { path: 'README.md', kind: 'card' },
      datasetCard({
        ...dataset,
        summary,
        contributors,
        models: [...models.values()],
        deidentification,
        encrypted: key !== null,
        ledgerOrigin: getLogKey().origin,
        publishedAt: new Date().toISOString(),
      }),
    ),
  );

  await report(0.65, 'Signing the manifest');
  const manifest = await buildManifest({ versionId, dataset, studies, keys, files, contributors, models: [...models.values()], deidentification, keyId: key ? keyIdOf(key) : null });
  await adding.add({ path: 'manifest.json', content: manifest.bytes });
  await adding.add({ path: 'manifest.sig', content: Buffer.from(manifest.signature, 'utf8') });
  const total = files.reduce((n, f) => n + f.size, 0) + manifest.bytes.length;
  return { studies, files, manifest, summary, dropped, exported, total };
}

async function failVersion(versionId: string, reason: string): Promise<void> {
  await getDb().datasetVersion.updateMany({ where: { id: versionId, status: 'publishing' }, data: { status: 'failed', error: reason } });
  await fs.rm(path.join(env.dataDir, 'publish', versionId), { recursive: true, force: true }).catch(() => undefined);
}

/** What the dataset page says about a failed publication: our own reasons in full, anything else without internals (they go to the log). */
function describeFailure(err: unknown): string {
  if (isAppError(err)) return err.message;
  if (err instanceof ConsentChangedError) return `${err.message} It kept changing while the version was prepared again; publish again later. Nothing was published.`;
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ENOSPC') return 'The disk is full: free space in the data directory and publish again. Nothing was published.';
  return 'Publication failed on the server (its log says why). Nothing was published.';
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
