/**
 * De-identification of real files (../shared/dicom-samples): what is not a whole DICOM instance is
 * refused with a reason (BAD_REQUEST), never half-written; every valid sample — native, big endian,
 * deflated, JPEG, JPEG-LS, JPEG 2000, RLE, multi-frame fragments with and without offset table —
 * comes out in its own transfer syntax with its pixel data element byte for byte, readable by
 * dicom-parser and dcmjs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import dcmjs from 'dcmjs';
import dicomParser, { type DataSet } from 'dicom-parser';
import { describe, expect, it } from 'vitest';
import { deidentifyInstance } from '@/lib/dicom/deidentify/deidentify-instance';
import type { DeidentifyOptions } from '@/lib/dicom/deidentify/schemas';
import { syntheticCtSeries } from '@/lib/dicom/synthetic-ct';
import { isAppError } from '@/lib/errors/app-error';
import { sample, SAMPLES_DIR, samplesUnder } from '../helpers/dicom-samples';

const OPTIONS: DeidentifyOptions = { uidKey: new Uint8Array(32).fill(9), patientPseudonym: 'PSEUDO-9', cleanDescriptors: true };
const load = (file: string) => new Uint8Array(readFileSync(file));
const name = (file: string) => path.relative(SAMPLES_DIR, file);

/** The BAD_REQUEST message deidentifyInstance throws for `bytes`, failing the test if it does anything else. */
function refusal(bytes: Uint8Array, options: DeidentifyOptions = OPTIONS): string {
  try {
    deidentifyInstance(bytes, options);
  } catch (err) {
    if (isAppError(err, 'BAD_REQUEST')) return err.message;
    throw err;
  }
  throw new Error('de-identified input it should have refused');
}

function parse(bytes: Uint8Array): DataSet {
  return dicomParser.parseDicom(bytes, {
    inflater: ((whole: Uint8Array, position: number) => {
      const inflated = inflateRawSync(whole.subarray(position));
      const out = new Uint8Array(position + inflated.length);
      out.set(whole.subarray(0, position));
      out.set(inflated, position);
      return out;
    }) as (arr: Uint8Array, position: number) => void,
  });
}

/** The pixel data element's value bytes (all fragments and the offset table when encapsulated), or null. */
function pixelBytes(ds: DataSet): { tag: string; bytes: Buffer; fragments: number } | null {
  for (const tag of ['x7fe00010', 'x7fe00008', 'x7fe00009']) {
    const el = ds.elements[tag];
    if (el) return { tag, bytes: Buffer.from(ds.byteArray.subarray(el.dataOffset, el.dataOffset + el.length)), fragments: el.fragments?.length ?? 0 };
  }
  return null;
}

describe('input that is not a whole DICOM instance', () => {
  it('refuses bytes that are not DICOM, saying so', () => {
    expect(refusal(new TextEncoder().encode('just some text, not an image'))).toMatch(/Not a DICOM Part-10 file/);
    expect(refusal(new Uint8Array(0))).toMatch(/Not a DICOM Part-10 file/);
  });

  it('refuses a truncated file', () => {
    const [slice] = syntheticCtSeries({ slices: 1 });
    expect(refusal(slice!.subarray(0, slice!.length - 1000))).toMatch(/truncated/);
    expect(refusal(slice!.subarray(0, 600))).toMatch(/truncated|cannot be parsed/);
  });

  it('refuses a file without a SOP Instance UID, naming it', () => {
    const [slice] = syntheticCtSeries({ slices: 1 });
    const { DicomMessage, DicomDict } = dcmjs.data;
    const file = DicomMessage.readFile(slice!.buffer.slice(slice!.byteOffset, slice!.byteOffset + slice!.byteLength) as ArrayBuffer);
    delete (file.dict as Record<string, unknown>)['00080018'];
    const without = new DicomDict(file.meta);
    without.dict = file.dict;
    expect(refusal(new Uint8Array(without.write()))).toMatch(/no SOP Instance UID \(0008,0018\)/);
  });

  it('refuses bad options before reading anything', () => {
    const [slice] = syntheticCtSeries({ slices: 1 });
    expect(refusal(slice!, { ...OPTIONS, uidKey: new Uint8Array(4) })).toMatch(/uidKey/);
    expect(refusal(slice!, { ...OPTIONS, patientPseudonym: 'A\\B' })).toMatch(/patientPseudonym/);
    expect(refusal(slice!, { ...OPTIONS, retainLongitudinalTemporalInformation: 'modified-dates' })).toMatch(/dateShiftDays/);
    expect(refusal(slice!, { ...OPTIONS, privateTagWhitelist: [{ creator: 'X', group: 0x0010, element: 1 }] })).toMatch(/odd/);
  });

  // Expected outcome per file from the samples' README: "reject", or "accept" (possibly with a warning
  // there). Refused here although the README accepts it with a warning: bad_sequence.dcm, whose
  // UN-encoded sequence dcmjs decodes into a 900 MB value — what cannot be read reliably is not published.
  const ACCEPTED = new Set([
    'invalid/ours/meta_sop_uid_mismatch.dcm',
    'invalid/ours/odd_length_element.dcm',
    'invalid/ours/rows_exceed_pixeldata.dcm',
    'invalid/ours/uid_invalid_chars.dcm',
    'invalid/ours/uid_too_long.dcm',
    'invalid/real/highdicom/ct_image.dcm',
    'invalid/real/pydicom-data/explicit_VR-UN.dcm',
    'invalid/real/pydicom/GDCMJ2K_TextGBR.dcm',
    'invalid/real/pydicom/J2K_pixelrep_mismatch.dcm',
    'invalid/real/pydicom/JPEG2000-embedded-sequence-delimiter.dcm',
    'invalid/real/pydicom/MR_small_implicit.dcm',
    'invalid/real/pydicom/badVR.dcm',
  ]);
  const invalid = samplesUnder('invalid');

  it.each(invalid.filter((f) => !ACCEPTED.has(name(f))).map((f) => [name(f), f]))('refuses %s with a reason', (_, file) => {
    expect(refusal(load(file)).length).toBeGreaterThan(20);
  });

  it.each(invalid.filter((f) => ACCEPTED.has(name(f))).map((f) => [name(f), f]))('de-identifies %s, which is odd but whole', (_, file) => {
    const input = load(file);
    const out = deidentifyInstance(input, OPTIONS);
    expect(pixelBytes(parse(out.bytes))?.bytes.equals(pixelBytes(parse(input))!.bytes)).toBe(true);
  });

  it('takes the data set, not the File Meta Information, as the truth about the SOP Instance UID', () => {
    const out = deidentifyInstance(load(sample('invalid/ours/meta_sop_uid_mismatch.dcm')), OPTIONS);
    const ds = parse(out.bytes);
    expect(ds.string('x00020003')).toBe(ds.string('x00080018'));
    expect(ds.string('x00080018')).toBe(out.report.sopInstanceUid);
  });
});

describe('real DICOM files', () => {
  const valid = samplesUnder('valid');

  it('covers the transfer syntaxes of the samples', () => {
    const syntaxes = new Set(valid.map((f) => parse(load(f)).string('x00020010')));
    for (const ts of ['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.2', '1.2.840.10008.1.2.1.99', '1.2.840.10008.1.2.4.50', '1.2.840.10008.1.2.4.57', '1.2.840.10008.1.2.4.70', '1.2.840.10008.1.2.4.80', '1.2.840.10008.1.2.4.90', '1.2.840.10008.1.2.5', '1.2.840.10008.1.2.8.1']) {
      expect(syntaxes, ts).toContain(ts);
    }
  });

  it.each(valid.map((f) => [name(f), f]))('%s: same transfer syntax, pixel data byte for byte, readable', (_, file) => {
    const input = load(file);
    const { bytes, report } = deidentifyInstance(input, OPTIONS);
    const before = parse(input);
    const after = parse(bytes);
    expect(after.string('x00020010')).toBe(before.string('x00020010'));
    expect(report.transferSyntaxUid).toBe(before.string('x00020010'));
    const [pixelsBefore, pixelsAfter] = [pixelBytes(before), pixelBytes(after)];
    expect(pixelsAfter?.tag).toBe(pixelsBefore?.tag);
    if (pixelsBefore) {
      expect(pixelsAfter!.fragments).toBe(pixelsBefore.fragments);
      expect(pixelsAfter!.bytes.equals(pixelsBefore.bytes)).toBe(true);
    }
    expect(after.string('x00020003')).toBe(report.sopInstanceUid);
    expect(after.string('x00080018')).toBe(report.sopInstanceUid);
    expect(after.string('x00100010')).toBe('PSEUDO-9');
    expect(after.string('x00120062')).toBe('YES');
    expect(after.string('x0020000d')).toBe(report.studyInstanceUid);
    // dcmjs reads it too (a deflated file through its own inflater).
    expect(() => dcmjs.data.DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)).not.toThrow();
  });

  it('removes the private attributes of a real CT and flags ultrasound for burned-in text', () => {
    const ct = deidentifyInstance(load(sample('valid/pydicom/CT_small.dcm')), OPTIONS);
    expect(ct.report.removedPrivateTags).toBeGreaterThan(100);
    expect(Object.keys(parse(ct.bytes).elements).filter((t) => parseInt(t[4]!, 16) & 1)).toEqual([]);
    expect(ct.report.flags.burnedInAnnotation.flagged).toBe(false);
    const us = deidentifyInstance(load(sample('valid/pydicom/ExplVR_BigEnd.dcm')), OPTIONS);
    expect(us.report.flags.burnedInAnnotation).toMatchObject({ flagged: true, reason: expect.stringContaining('US') });
  });

  it('removes an overlay plane from a real MR', () => {
    const input = load(sample('valid/pydicom/examples_overlay.dcm'));
    expect(Object.keys(parse(input).elements).some((t) => t.startsWith('x6000'))).toBe(true);
    const out = deidentifyInstance(input, OPTIONS);
    expect(Object.keys(parse(out.bytes).elements).filter((t) => /^x60[01]/.test(t))).toEqual([]);
    expect(out.report.flags.overlaysRemoved).toBe(true);
  });
});
