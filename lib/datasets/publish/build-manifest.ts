import { getDb } from '@/lib/db/client';
import { createCheckpoint } from '@/lib/ledger/create-checkpoint';
import { getLogKey } from '@/lib/ledger/log-key';
import { getInclusionProof } from '@/lib/ledger/proofs';
import { patientReference, studyReference } from '@/lib/ledger/pseudonym';
import type { DatasetKeys } from '../dataset-keys';
import type { Contributor } from '../find-contributors';
import { manifestBytes, signManifest } from '../manifest/manifest-signature';
import { MANIFEST_FORMAT, MANIFEST_VERSION, type Manifest, type ManifestFile } from '../manifest/manifest-schema';
import type { IncludedStudy } from '../select-dataset-studies';
import type { Dataset } from '../stored-dataset';

export type BuiltManifest = { manifest: Manifest; bytes: Buffer; signature: string };

/**
 * The manifest of a version about to be published, signed with the ledger's key. Consent proofs are
 * inclusion proofs against a checkpoint signed now, which covers every decision the selection used.
 */
export async function buildManifest(opts: {
  versionId: string;
  dataset: Pick<Dataset, 'id' | 'name' | 'description' | 'purpose' | 'license' | 'labelStatus' | 'filters' | 'split'>;
  studies: readonly IncludedStudy[];
  keys: DatasetKeys;
  files: ManifestFile[];
  contributors: Contributor[];
  models: Manifest['models'];
  deidentification: Manifest['deidentification'];
  keyId: string | null;
}): Promise<BuiltManifest> {
  const db = getDb();
  const checkpoint = await createCheckpoint();
  const seqs = opts.studies.map((s) => s.consent.ledgerSeq!);
  const entries = new Map((await db.ledgerEntry.findMany({ where: { seq: { in: seqs } }, select: { seq: true, canonical: true } })).map((e) => [e.seq, e.canonical]));
  const records = new Map(
    (await db.study.findMany({ where: { id: { in: opts.studies.map((s) => s.studyId) } }, select: { id: true, studyInstanceUid: true, patient: { select: { patientKey: true, issuer: true } } } })).map((s) => [s.id, s]),
  );
  const studies: Manifest['studies'] = [];
  for (const s of opts.studies) {
    const seq = s.consent.ledgerSeq!;
    const record = records.get(s.studyId)!;
    const { proof } = await getInclusionProof(seq, checkpoint.treeSize);
    studies.push({
      id: opts.keys.studyPseudonym(s.studyId),
      patient: opts.keys.patientPseudonym(s.patientId),
      split: s.split,
      classes: s.classes,
      labelStatus: s.labelStatus,
      ledgerStudy: studyReference(record.studyInstanceUid),
      ledgerPatient: patientReference(record.patient.patientKey, record.patient.issuer),
      consent: { seq, canonical: entries.get(seq)!, proof },
    });
  }
  const { origin, verifierKey, signer } = getLogKey();
  const { filters, split } = opts.dataset;
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    version: MANIFEST_VERSION,
    dataset: {
      id: opts.dataset.id,
      name: opts.dataset.name,
      description: opts.dataset.description,
      purpose: opts.dataset.purpose,
      license: opts.dataset.license,
      labelStatus: opts.dataset.labelStatus,
      filters: { modalities: filters.modalities, classes: filters.classes, ...(filters.from ? { from: filters.from } : {}), ...(filters.to ? { to: filters.to } : {}) },
      split: { train: split.train, val: split.val, test: split.test, seed: split.seed, stratify: split.stratify },
      versionId: opts.versionId,
    },
    createdAt: new Date().toISOString(),
    ledger: { origin, verifierKey },
    checkpoint: { treeSize: checkpoint.treeSize, note: checkpoint.note },
    encryption: opts.keyId ? { algorithm: 'AES-256-GCM', keyId: opts.keyId } : null,
    deidentification: opts.deidentification,
    studies,
    files: opts.files,
    contributors: opts.contributors,
    models: opts.models,
  };
  const bytes = manifestBytes(manifest);
  return { manifest, bytes, signature: signManifest(bytes, signer) };
}
