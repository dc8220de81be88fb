import { z } from 'zod';
import { PRINTABLE_NAME } from '@/lib/format/printable-name';

/**
 * manifest.json of a published dataset version: what a holder verifies without trusting Cohort.
 * Every file with its size, SHA-256 and CID (of the bytes as published, i.e. encrypted for a private
 * dataset); every study under its pseudonym with its split and the consent ledger entry that allowed
 * it, proven against one signed checkpoint; the contributors and models. The JSON Schema
 * (docs/schemas/dataset-manifest.schema.json) is generated from this (npm run datasets:schema).
 */
export const MANIFEST_FORMAT = 'cohort-dataset-manifest';
export const MANIFEST_VERSION = 1;

const ZSha256 = z.string().regex(/^[0-9a-f]{64}$/, 'hex SHA-256');
const ZCid = z.string().regex(/^b[a-z2-7]{20,}$/, 'a CIDv1 in base32');
const ZPath = z.string().regex(/^(?!\/)(?!.*\.\.)[A-Za-z0-9._/-]{1,512}$/, 'a relative path of letters, digits, . _ - /');
const ZSplit = z.enum(['train', 'val', 'test']);

export const ZManifestFile = z
  .object({
    path: ZPath,
    size: z.number().int().min(0),
    sha256: ZSha256,
    cid: ZCid,
    /** The study (pseudonym) it belongs to; absent for dataset-wide files. */
    study: z.string().optional(),
    /** What it is, e.g. dicom, dicom-seg, nifti-image, nifti-label, labels-json, coco, csv, card. */
    kind: z.string().min(1).max(32),
    /** Private datasets: the plaintext's size and SHA-256 (each file is AES-256-GCM with its own nonce). */
    plain: z.object({ size: z.number().int().min(0), sha256: ZSha256 }).strict().optional(),
  })
  .strict();

export const ZConsentProof = z
  .object({
    /** The ledger entry (its canonical JSON) of the patient's decision that allowed this use. */
    seq: z.number().int().min(0),
    canonical: z.string().min(2),
    /** RFC 6962 inclusion proof against the manifest's checkpoint, base64 hashes. */
    proof: z.array(z.string()),
  })
  .strict();

export const ZManifestStudy = z
  .object({
    id: z.string().regex(/^study-[a-z2-7]{16}$/),
    patient: z.string().regex(/^patient-[a-z2-7]{16}$/),
    split: ZSplit,
    classes: z.array(z.string()),
    labelStatus: z.string(),
    /** How the ledger names the study and the patient (keyed hashes): what the consent entry's subjects must contain. */
    ledgerStudy: z.string().regex(/^s_[a-z2-7]{26}$/),
    ledgerPatient: z.string().regex(/^q_[a-z2-7]{26}$/),
    consent: ZConsentProof,
  })
  .strict();

export const ZManifest = z
  .object({
    format: z.literal(MANIFEST_FORMAT),
    version: z.literal(MANIFEST_VERSION),
    dataset: z
      .object({
        id: z.string(),
        name: z.string(),
        description: z.string(),
        purpose: z.enum(['research', 'ai_training', 'commercial', 'education', 'public_release']),
        license: z.string(),
        labelStatus: z.enum(['accepted', 'any']),
        filters: z.object({ modalities: z.array(z.string()), classes: z.array(z.string()), from: z.string().optional(), to: z.string().optional() }).strict(),
        split: z.object({ train: z.number(), val: z.number(), test: z.number(), seed: z.string(), stratify: z.boolean() }).strict(),
        /** The id of the version row: the version number is assigned by the ledger entry that publishes it. */
        versionId: z.string(),
      })
      .strict(),
    createdAt: z.iso.datetime(),
    /** The ledger this dataset's proofs come from: its origin line and Ed25519 verifier key (C2SP vkey). */
    ledger: z.object({ origin: z.string(), verifierKey: z.string() }).strict(),
    /** Signed checkpoint (C2SP signed note) every consent proof is checked against. */
    checkpoint: z.object({ treeSize: z.number().int().min(1), note: z.string() }).strict(),
    encryption: z.union([z.null(), z.object({ algorithm: z.literal('AES-256-GCM'), keyId: z.string() }).strict()]),
    deidentification: z
      .object({ profile: z.string(), options: z.array(z.string()), privateTagsKept: z.number().int().min(0) })
      .strict(),
    studies: z.array(ZManifestStudy),
    files: z.array(ZManifestFile),
    contributors: z.array(
      z.object({ id: z.string().regex(/^p_[a-z2-7]{26}$/), roles: z.array(z.enum(['reader', 'reviewer'])), labels: z.number().int().min(0), reviews: z.number().int().min(0), name: z.string().min(1).max(120).regex(PRINTABLE_NAME).optional() }).strict(),
    ),
    models: z.array(z.object({ name: z.string(), version: z.string(), sha256: ZSha256, studies: z.number().int().min(0) }).strict()),
  })
  .strict();

export type Manifest = z.infer<typeof ZManifest>;
export type ManifestFile = z.infer<typeof ZManifestFile>;
export type ManifestStudy = z.infer<typeof ZManifestStudy>;
