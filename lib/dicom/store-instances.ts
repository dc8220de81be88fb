import { createHash, randomUUID } from 'node:crypto';
import { forEachConcurrently } from '@/lib/async/for-each-concurrently';
import { getDb, type Tx } from '@/lib/db/client';
import { insertRows } from '@/lib/db/insert-rows';
import { isUniqueViolation } from '@/lib/db/is-unique-violation';
import { appendEntries } from '@/lib/ledger/append-entry';
import { pseudonymOf, studyReference } from '@/lib/ledger/pseudonym';
import { getBlobStore } from '@/lib/storage/get-blob-store';
import { DicomRejection, FAILURE_REASON, type FailureReason } from './dicom-rejection';
import { journalBlobCommit, removeUnreferencedBlobs } from './ingest-journal';
import { patientKeyOf } from './patient-key.client';
import type { DicomHeader } from './read-header';
import { isSameDataSet } from './same-data-set';
import type { StagedInstance } from './stage-instance';

export type StoredOutcome = {
  status: 'stored' | 'duplicate';
  sopInstanceUid: string;
  sopClassUid: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  warnings: string[];
};
export type RejectedOutcome = {
  status: 'rejected';
  sopInstanceUid?: string;
  sopClassUid?: string;
  failureReason: FailureReason;
  reason: string;
};
export type InstanceOutcome = StoredOutcome | RejectedOutcome;

export type StoreInstancesOptions = {
  /** The user on whose behalf the files are stored (the ledger names them by pseudonym). */
  actorUserId: string;
};

/**
 * Stores staged DICOM files in one transaction: patient, study, series and instance rows, the blobs
 * moved into the store, and one `study.ingested` ledger entry per study that gained instances. Either
 * all of it commits or none of it does (a crash in between is undone by the ingest journal).
 *
 * Per file: a SOP Instance UID not seen before is stored; one already stored with the same bytes, or
 * the same data set in another encoding (implicit instead of explicit VR, say), is a duplicate
 * (nothing changes); a different object under a stored UID is refused as a conflict, and the first
 * kept. Outcomes come back in input order.
 */
export async function storeInstances(staged: readonly StagedInstance[], options: StoreInstancesOptions): Promise<InstanceOutcome[]> {
  try {
    for (let tries = 1; ; tries++) {
      try {
        return await attempt(staged, options);
      } catch (err) {
        // PostgreSQL: a concurrent request stored the same study, series or instance first. Again:
        // the rows it wrote are now found, and its instances become duplicates.
        if (!isUniqueViolation(err) || tries === MAX_ATTEMPTS) throw err;
      }
    }
  } finally {
    // Whatever was not moved into the store (duplicates, conflicts, a rolled-back batch) is dropped.
    await Promise.all(staged.map(({ blob }) => blob.discard()));
  }
}

async function attempt(staged: readonly StagedInstance[], { actorUserId }: StoreInstancesOptions): Promise<InstanceOutcome[]> {
  const toCommit: StagedInstance[] = [];
  let journal: Awaited<ReturnType<typeof journalBlobCommit>> | null = null;
  try {
    return await getDb().$transaction(
      async (tx) => {
        const outcomes = await classify(tx, staged);
        const fresh = staged.filter((_, i) => outcomes[i]!.status === 'stored');
        const rejected = await writeRows(tx, fresh);
        for (const [i, item] of staged.entries()) {
          const refusal = rejected.get(item);
          if (refusal) outcomes[i] = refusal;
          else if (outcomes[i]!.status === 'stored') toCommit.push(item);
        }
        await recordInLedger(tx, toCommit, actorUserId);
        if (toCommit.length > 0) {
          journal = await journalBlobCommit(toCommit.map(({ blob }) => blob.sha256));
          await forEachConcurrently(toCommit, COMMIT_PARALLELISM, ({ blob }) => blob.commit());
          // The files are on disk under their addresses before the rows that point at them commit.
          await getBlobStore().syncDirectories(toCommit.map(({ blob }) => blob.sha256));
        }
        return outcomes;
      },
      { timeout: 120_000, maxWait: 60_000 },
    );
  } catch (err) {
    // The rows rolled back: take back the blobs this batch moved in, unless another instance uses the bytes.
    if (journal) await removeUnreferencedBlobs(toCommit.map(({ blob }) => blob.sha256));
    throw err;
  } finally {
    await (journal as { settle(): Promise<void> } | null)?.settle();
  }
}

/** Each lost race with a concurrent writer (see storeInstances) costs one attempt. */
const MAX_ATTEMPTS = 5;

/** Blob renames in flight at once: each is a few file-system calls, which the thread pool overlaps. */
const COMMIT_PARALLELISM = 16;


/** Stored (new), duplicate or conflict, for each file, against the database and earlier files of the batch. */
async function classify(tx: Tx, staged: readonly StagedInstance[]): Promise<InstanceOutcome[]> {
  const existing = new Map(
    (
      await tx.instance.findMany({
        where: { sopInstanceUid: { in: [...new Set(staged.map((s) => s.header.sopInstanceUid))] } },
        select: { sopInstanceUid: true, sha256: true },
      })
    ).map((row) => [row.sopInstanceUid, { sha256: row.sha256, path: getBlobStore().pathOf(row.sha256) }]),
  );
  const outcomes: InstanceOutcome[] = [];
  for (const item of staged) {
    const { header, blob } = item;
    const earlier = existing.get(header.sopInstanceUid);
    if (!earlier) {
      existing.set(header.sopInstanceUid, { sha256: blob.sha256, path: blob.path });
      outcomes.push(stored('stored', header));
    } else if (earlier.sha256 === blob.sha256 || (await isSameDataSet(earlier.path, blob.path))) {
      outcomes.push(stored('duplicate', header));
    } else {
      outcomes.push(rejection(header, FAILURE_REASON.DUPLICATE_SOP_INSTANCE, 'Another object with this SOP Instance UID, but different content, is already stored.'));
    }
  }
  return outcomes;
}

/**
 * Patient, study, series and instance rows for new instances, and the counts of what they joined.
 * A series already filed under another study refuses its instances (returned, by file).
 */
async function writeRows(tx: Tx, fresh: readonly StagedInstance[]): Promise<Map<StagedInstance, RejectedOutcome>> {
  const refused = new Map<StagedInstance, RejectedOutcome>();
  const studyIds = new Map<string, string>();
  const seriesIds = new Map<string, string>();
  const rows: unknown[][] = [];
  const createdAt = new Date();
  for (const item of fresh) {
    const { header } = item;
    let studyId = studyIds.get(header.studyInstanceUid);
    if (!studyId) {
      studyId = await upsertStudy(tx, header);
      studyIds.set(header.studyInstanceUid, studyId);
    }
    let seriesId = seriesIds.get(header.seriesInstanceUid);
    if (!seriesId) {
      const series = await tx.series.upsert({
        where: { seriesInstanceUid: header.seriesInstanceUid },
        create: {
          seriesInstanceUid: header.seriesInstanceUid,
          studyId,
          modality: header.series.modality,
          seriesNumber: header.series.number,
          description: header.series.description,
          bodyPart: header.series.bodyPart,
        },
        update: {},
        select: { id: true, studyId: true },
      });
      if (series.studyId !== studyId) {
        refused.set(item, rejection(header, FAILURE_REASON.DATA_SET_DOES_NOT_MATCH_SOP_CLASS, `Its series ${header.seriesInstanceUid} is already stored in another study.`));
        continue;
      }
      seriesId = series.id;
      seriesIds.set(header.seriesInstanceUid, seriesId);
    }
    rows.push(instanceRow(item, seriesId, createdAt));
  }
  await insertRows(tx, 'instance', INSTANCE_COLUMNS, rows);
  await updateCounts(tx, [...seriesIds.values()], [...studyIds.values()]);
  return refused;
}

async function upsertStudy(tx: Tx, header: DicomHeader): Promise<string> {
  const found = await tx.study.findUnique({ where: { studyInstanceUid: header.studyInstanceUid }, select: { id: true } });
  if (found) return found.id; // the first file of a study describes it; later ones only add series
  const { patient, study } = header;
  // Without a Patient ID nothing says two studies are the same person's: one patient per study.
  const patientKey = patientKeyOf(patient.id, header.studyInstanceUid);
  const { id: patientId } = await tx.patient.upsert({
    where: { patientKey_issuer: { patientKey, issuer: patient.issuer } },
    create: { patientKey, issuer: patient.issuer, name: patient.name, birthDate: patient.birthDate, sex: patient.sex },
    update: {},
    select: { id: true },
  });
  const { id } = await tx.study.upsert({
    where: { studyInstanceUid: header.studyInstanceUid },
    create: {
      studyInstanceUid: header.studyInstanceUid,
      patientId,
      studyDate: study.date,
      studyTime: study.time,
      description: study.description,
      accessionNumber: study.accessionNumber,
      referringPhysician: study.referringPhysician,
      studyId: study.id,
    },
    update: {},
    select: { id: true },
  });
  return id;
}

/** The instance table's columns, in the order of instanceRow's values (written in bulk: one statement per batch). */
const INSTANCE_COLUMNS = [
  'id', 'sop_instance_uid', 'sop_class_uid', 'series_id', 'instance_number', 'transfer_syntax_uid', 'sha256', 'size',
  'rows', 'columns', 'frames', 'bits_allocated', 'bits_stored', 'pixel_representation', 'samples_per_pixel',
  'photometric_interpretation', 'image_position_patient', 'image_orientation_patient', 'pixel_spacing', 'slice_thickness',
  'rescale_slope', 'rescale_intercept', 'window_center', 'window_width', 'pixel_data_offset', 'pixel_data_length',
  'fragments', 'warnings', 'created_at',
] as const;

function instanceRow({ header, blob }: StagedInstance, seriesId: string, createdAt: Date): unknown[] {
  const { instance: i, pixelData } = header;
  const ds = (values: number[] | null) => (values ? values.join('\\') : null);
  return [
    randomUUID(), header.sopInstanceUid, header.sopClassUid, seriesId, i.number, header.transferSyntax.uid, blob.sha256, blob.size,
    i.rows, i.columns, i.frames, i.bitsAllocated, i.bitsStored, i.pixelRepresentation, i.samplesPerPixel,
    i.photometricInterpretation, ds(i.imagePositionPatient), ds(i.imageOrientationPatient), ds(i.pixelSpacing), i.sliceThickness,
    i.rescaleSlope, i.rescaleIntercept, i.windowCenter, i.windowWidth, pixelData?.offset ?? null,
    pixelData && !pixelData.encapsulated ? pixelData.length : null,
    pixelData?.encapsulated ? pixelData.fragments : null, JSON.stringify(header.warnings), createdAt,
  ];
}

/** Instance and series counts, and Modalities in Study, recounted for what this batch touched. */
async function updateCounts(tx: Tx, seriesIds: string[], studyIds: string[]) {
  for (const id of seriesIds) {
    await tx.series.update({ where: { id }, data: { instanceCount: await tx.instance.count({ where: { seriesId: id } }) } });
  }
  for (const id of studyIds) {
    const series = await tx.series.findMany({ where: { studyId: id }, select: { modality: true, instanceCount: true } });
    const modalities = [...new Set(series.map((s) => s.modality).filter(Boolean))].sort();
    await tx.study.update({
      where: { id },
      data: { seriesCount: series.length, instanceCount: series.reduce((n, s) => n + s.instanceCount, 0), modalities: modalities.join('\\') },
    });
  }
}

/** One `study.ingested` entry per study that gained instances: keyed hashes and counts, no PHI. */
async function recordInLedger(tx: Tx, added: readonly StagedInstance[], actorUserId: string) {
  const byStudy = new Map<string, StagedInstance[]>();
  for (const item of added) byStudy.set(item.header.studyInstanceUid, [...(byStudy.get(item.header.studyInstanceUid) ?? []), item]);
  await appendEntries(
    tx,
    [...byStudy].map(([studyUid, items]) => ({
      type: 'study.ingested' as const,
      actor: pseudonymOf(actorUserId),
      subjects: [studyReference(studyUid)],
      payload: {
        instances: items.length,
        series: new Set(items.map((i) => i.header.seriesInstanceUid)).size,
        bytes: items.reduce((n, i) => n + i.blob.size, 0),
        modalities: [...new Set(items.map((i) => i.header.series.modality).filter((m) => /^[A-Z0-9_]{1,16}$/.test(m)))].sort(),
        // SHA-256 of the files' sorted SHA-256s: whoever holds the files can show they are what was ingested.
        files: createHash('sha256').update(items.map((i) => i.blob.sha256).sort().join('\n')).digest('hex'),
      },
    })),
  );
}

function stored(status: 'stored' | 'duplicate', header: DicomHeader): StoredOutcome {
  return {
    status,
    sopInstanceUid: header.sopInstanceUid,
    sopClassUid: header.sopClassUid,
    studyInstanceUid: header.studyInstanceUid,
    seriesInstanceUid: header.seriesInstanceUid,
    warnings: header.warnings,
  };
}

function rejection(header: DicomHeader, failureReason: FailureReason, reason: string): RejectedOutcome {
  return { status: 'rejected', sopInstanceUid: header.sopInstanceUid, sopClassUid: header.sopClassUid, failureReason, reason };
}

/** The outcome for a file refused before it could be staged (not DICOM, truncated, too large). */
export function rejectedOutcome(err: DicomRejection): RejectedOutcome {
  return {
    status: 'rejected',
    ...(err.sopInstanceUid ? { sopInstanceUid: err.sopInstanceUid } : {}),
    ...(err.sopClassUid ? { sopClassUid: err.sopClassUid } : {}),
    failureReason: err.failureReason,
    reason: err.message,
  };
}
