/**
 * Storing real DICOM files: every valid sample is indexed and kept byte for byte, re-sending is
 * idempotent, a different object under a stored UID is refused, and each study's ingest is in the ledger.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db/client';
import { DicomRejection } from '@/lib/dicom/dicom-rejection';
import { recoverIngestJournal } from '@/lib/dicom/ingest-journal';
import { ingestFiles, type IncomingFile } from '@/lib/dicom/ingest-files';
import { IN_MEMORY_LIMIT, stageInstance } from '@/lib/dicom/stage-instance';
import { syntheticCtSeries } from '@/lib/dicom/synthetic-ct';
import { storeInstances, type InstanceOutcome } from '@/lib/dicom/store-instances';
import { studyReference } from '@/lib/ledger/pseudonym';
import { verifyLedger } from '@/lib/ledger/verify-ledger';
import { getBlobStore } from '@/lib/storage/get-blob-store';
import { sample, samplesUnder } from '../helpers/dicom-samples';
import { killMidTransaction } from '../helpers/kill-mid-transaction';
import { blobTempFiles } from '../helpers/blob-temp';
import { makeUser } from '../helpers/users';

const MAX = 64 * 1024 * 1024;

async function ingest(files: string[], actorUserId: string): Promise<InstanceOutcome[]> {
  const staged = [];
  for (const file of files) staged.push(await stageInstance(createReadStream(file), { maxBytes: MAX }));
  return storeInstances(staged, { actorUserId });
}


describe('storing DICOM instances', () => {
  it('stores every valid sample, byte for byte, indexed by patient, study, series and instance', async () => {
    const admin = await makeUser(['admin']);
    const files = samplesUnder('valid');
    const outcomes = await ingest(files, admin.id);
    expect(outcomes.filter((o) => o.status !== 'stored')).toEqual([]);

    const db = getDb();
    expect(await db.instance.count()).toBe(files.length);
    for (const file of files) {
      const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
      const row = await db.instance.findFirstOrThrow({ where: { sha256 } });
      expect(await getBlobStore().verify(row.sha256)).toBe(true);
    }
    // The CT series of pydicom's dicomdirtests: 4 slices, one study, modality CT, geometry indexed.
    const series = await db.series.findFirstOrThrow({
      where: { instances: { some: { sha256: hashOf(sample('valid/pydicom/dicomdirtests/77654033/CT2/17106')) } } },
      include: { study: { include: { patient: true } }, instances: { orderBy: { instanceNumber: 'asc' } } },
    });
    expect(series.instanceCount).toBe(4);
    expect(series.study.patient.name).toBe('Doe^Archibald');
    expect(series.instances[0]!.imagePositionPatient?.split('\\')).toHaveLength(3);
    expect(series.instances[0]!.rows).toBe(16);
    // Character sets: a Japanese name as the modality wrote it.
    expect(await db.patient.count({ where: { name: 'Yamada^Tarou=山田^太郎=やまだ^たろう' } })).toBe(1);
    expect(await db.patient.count({ where: { name: 'Wang^XiaoDong=王^小東=' } })).toBe(1);
    // Study counts and modalities follow the series. CT_small's study also holds highdicom's SR (in the
    // same series, stored first, so the series is an SR series) and a parametric map (OT).
    const ctSmall = await db.study.findFirstOrThrow({ where: { series: { some: { instances: { some: { sha256: hashOf(sample('valid/pydicom/CT_small.dcm')) } } } } } });
    expect(ctSmall.modalities).toBe('OT\\SR');
    expect([ctSmall.seriesCount, ctSmall.instanceCount]).toEqual([2, 3]);
    expect(await blobTempFiles()).toEqual([]);
  });

  it('records one PHI-free study.ingested entry per study, and the ledger verifies', async () => {
    const admin = await makeUser(['admin']);
    const files = samplesUnder('valid/pydicom/dicomdirtests/98892003/MR700');
    await ingest(files, admin.id); // stored by the test before: duplicates now, so no new entry
    const studyUid = (await getDb().study.findFirstOrThrow({ where: { series: { some: { instances: { some: { sha256: hashOf(files[0]!) } } } } } })).studyInstanceUid;
    const entries = (await getDb().ledgerEntry.findMany({ where: { type: 'study.ingested' } })).filter((e) => e.canonical.includes(studyReference(studyUid)));
    expect(entries).toHaveLength(1);
    const content = JSON.parse(entries[0]!.canonical);
    expect(content.subjects).toEqual([studyReference(studyUid)]);
    expect(content.payload).toMatchObject({ instances: 7, series: 1, modalities: ['MR'] });
    expect(content.payload.files).toBe(createHash('sha256').update(files.map(hashOf).sort().join('\n')).digest('hex'));
    expect(entries[0]!.canonical).not.toContain(studyUid);
    expect(entries[0]!.canonical).not.toMatch(/Doe|Peter/);
    expect((await verifyLedger()).ok).toBe(true);
  });

  it('is idempotent: the same files again, or the same image re-encoded, are duplicates', async () => {
    const admin = await makeUser(['admin']);
    await ingest([sample('valid/pydicom/MR_small.dcm')], admin.id);
    const count = await getDb().instance.count();
    const ledger = await getDb().ledgerEntry.count();
    const again = await ingest([sample('valid/pydicom/MR_small.dcm'), sample('invalid/real/pydicom/MR_small_implicit.dcm')], admin.id);
    expect(again.map((o) => o.status)).toEqual(['duplicate', 'duplicate']);
    expect(await getDb().instance.count()).toBe(count);
    expect(await getDb().ledgerEntry.count()).toBe(ledger);
    expect(await blobTempFiles()).toEqual([]);
  });

  it('refuses a different object under a stored SOP Instance UID, keeping the first', async () => {
    const admin = await makeUser(['admin']);
    await ingest([sample('valid/pydicom/CT_small.dcm')], admin.id);
    // Same UIDs and pixels as CT_small, other header bytes: not the same object.
    const [outcome] = await ingest([sample('invalid/real/highdicom/ct_image.dcm')], admin.id);
    expect(outcome).toMatchObject({ status: 'rejected', failureReason: 0x0111, reason: expect.stringMatching(/different content/) });
    const row = await getDb().instance.findUniqueOrThrow({ where: { sopInstanceUid: outcome!.sopInstanceUid! } });
    expect(row.sha256).toBe(hashOf(sample('valid/pydicom/CT_small.dcm')));
    expect(await getBlobStore().exists(hashOf(sample('invalid/real/highdicom/ct_image.dcm')))).toBe(false);
  });

  it('rejects every invalid file with a reason, leaving no row and no blob', async () => {
    const expectedToPass = new Set([
      // Tolerated with a warning, per the samples' README.
      'invalid/ours/meta_sop_uid_mismatch.dcm',
      'invalid/ours/odd_length_element.dcm',
      'invalid/ours/rows_exceed_pixeldata.dcm',
      'invalid/real/highdicom/ct_image.dcm',
      'invalid/real/pydicom/GDCMJ2K_TextGBR.dcm',
      'invalid/real/pydicom/J2K_pixelrep_mismatch.dcm',
      'invalid/real/pydicom/JPEG2000-embedded-sequence-delimiter.dcm',
      'invalid/real/pydicom/MR_small_implicit.dcm',
      'invalid/real/pydicom/badVR.dcm',
      'invalid/real/pydicom-data/explicit_VR-UN.dcm',
    ]);
    const instances = await getDb().instance.count();
    for (const file of samplesUnder('invalid')) {
      const name = path.relative(sample(''), file);
      if (expectedToPass.has(name)) continue;
      // Validated in memory (most files), and read back from disk (files too large to hold).
      for (const inMemoryLimit of [IN_MEMORY_LIMIT, 1024]) {
        const error = await stageInstance(createReadStream(file), { maxBytes: MAX, inMemoryLimit }).then(
          () => null,
          (err: unknown) => err,
        );
        expect(error, name).toBeInstanceOf(DicomRejection);
        expect((error as DicomRejection).message.length, name).toBeGreaterThan(10);
      }
    }
    expect(await getDb().instance.count()).toBe(instances);
    expect(await blobTempFiles()).toEqual([]);
  });

  it('keeps no rows, entries or blobs of a batch killed before it committed, and the ingest can be run again', async () => {
    const admin = await makeUser(['admin']);
    // Files accepted but not stored by the tests above.
    const files = ['invalid/ours/rows_exceed_pixeldata.dcm', 'invalid/ours/odd_length_element.dcm', 'invalid/ours/meta_sop_uid_mismatch.dcm', 'invalid/real/pydicom/J2K_pixelrep_mismatch.dcm'].map(sample);
    const [instances, ledger] = [await getDb().instance.count(), await getDb().ledgerEntry.count()];
    await killMidTransaction('tests/helpers/ingest-then-hang.ts', { HANG_USER_ID: admin.id, HANG_FILES: files.join('\n') });
    const firstBlob = hashOf(files[0]!);
    expect(await getBlobStore().exists(firstBlob)).toBe(true); // moved in, but its rows never committed
    // What start-up does: the killed writer's journal undoes the blobs it moved in (the first, and
    // those moved beside it); its unfinished temp files go too.
    expect(await recoverIngestJournal()).toBeGreaterThanOrEqual(1);
    await getBlobStore().sweepTemp(0);
    for (const file of files) expect(await getBlobStore().exists(hashOf(file)), file).toBe(false);
    expect(await getDb().instance.count()).toBe(instances);
    expect(await getDb().ledgerEntry.count()).toBe(ledger);
    // Run again, the ingest stores everything once.
    expect((await ingest(files, admin.id)).map((o) => o.status)).toEqual(files.map(() => 'stored'));
    expect(await getBlobStore().exists(firstBlob)).toBe(true);
    expect((await verifyLedger()).ok).toBe(true);
  });

  it('cuts off a file over the size limit as it streams', async () => {
    for (const inMemoryLimit of [IN_MEMORY_LIMIT, 1024]) {
      const error = await stageInstance(createReadStream(sample('valid/pydicom/CT_small.dcm')), { maxBytes: 4096, inMemoryLimit }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DicomRejection);
      expect((error as DicomRejection).failureReason).toBe(0xa700);
    }
    expect(await blobTempFiles()).toEqual([]);
  });

  it('reads a file too large to hold in memory from disk as it arrives, to the same header and bytes', async () => {
    for (const file of samplesUnder('valid')) {
      const inMemory = await stageInstance(createReadStream(file), { maxBytes: MAX });
      const streamed = await stageInstance(createReadStream(file, { highWaterMark: 1000 }), { maxBytes: MAX, inMemoryLimit: 1024 });
      expect(streamed.header, file).toEqual(inMemory.header);
      expect(streamed.blob.sha256, file).toBe(hashOf(file));
      expect(readFileSync(streamed.blob.path).equals(readFileSync(file)), file).toBe(true);
      await Promise.all([inMemory.blob.discard(), streamed.blob.discard()]);
    }
    expect(await blobTempFiles()).toEqual([]);
  });

  it('stores each instance once when requests carrying the same files run at the same time', async () => {
    const admin = await makeUser(['admin']);
    const slices = syntheticCtSeries({ slices: 6 });
    const send = () => ingestFiles((async function* () { yield* slices.map((body) => ({ body })); })(), { actorUserId: admin.id, batchSize: 3 });
    const results = await Promise.all([send(), send(), send()]);
    const statuses = results.flatMap((outcomes) => outcomes.map((o) => o.status));
    expect(statuses.filter((s) => s === 'stored')).toHaveLength(6);
    expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(12);
    const series = await getDb().series.findFirstOrThrow({ where: { instances: { some: { sopInstanceUid: results[0]![0]!.sopInstanceUid! } } } });
    expect(series.instanceCount).toBe(6);
    expect((await verifyLedger()).ok).toBe(true);
  });

  it('stores the batches that arrived whole when the source fails midway, and drops the rest', async () => {
    const admin = await makeUser(['admin']);
    const slices = syntheticCtSeries({ slices: 5 });
    const [instances, ledger] = [await getDb().instance.count(), await getDb().ledgerEntry.count()];
    const failing = async function* (): AsyncGenerator<IncomingFile> {
      for (const [i, body] of slices.entries()) yield { name: `slice ${i}`, body };
      throw new Error('the client went away');
    };
    await expect(ingestFiles(failing(), { actorUserId: admin.id, batchSize: 2 })).rejects.toThrow('the client went away');
    // Two batches of two stored whole (with their ledger entries); the fifth file, not yet stored, dropped.
    expect(await getDb().instance.count()).toBe(instances + 4);
    expect(await getDb().ledgerEntry.count()).toBe(ledger + 2);
    expect(await blobTempFiles()).toEqual([]);
    // Sent again, in full: the first four are duplicates, the fifth is stored.
    const again = await ingestFiles((async function* () { yield* slices.map((body) => ({ body })); })(), { actorUserId: admin.id, batchSize: 2 });
    expect(again.map((o) => o.status)).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate', 'stored']);
    expect((await verifyLedger()).ok).toBe(true);
  });
});

function hashOf(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}
