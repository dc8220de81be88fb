/**
 * readDicomHeader on the shared real-world samples: every valid file is read, every broken one is
 * refused with a reason or tolerated with a warning, as the samples' README expects; and mutated real
 * files never crash or hang it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferSource } from '@/lib/dicom/byte-source';
import { DicomRejection } from '@/lib/dicom/dicom-rejection';
import { readDicomHeader } from '@/lib/dicom/read-header';
import { sample, samplesUnder } from '../helpers/dicom-samples';

const read = (file: string) => readDicomHeader(bufferSource(readFileSync(file)));
const rejection = (file: string) => read(file).then(() => null, (err: unknown) => err);

describe('readDicomHeader', () => {
  it.each(samplesUnder('valid').map((f) => [path.relative(sample('valid'), f), f]))('reads valid/%s', async (_, file) => {
    const header = await read(file);
    for (const uid of [header.sopInstanceUid, header.studyInstanceUid, header.seriesInstanceUid, header.sopClassUid]) {
      expect(uid).toMatch(/^[0-9]+(\.[0-9]+)*$/);
    }
  });

  it('reads what Cohort indexes, in any transfer syntax', async () => {
    const uids = new Set<string>();
    for (let n = 1; n <= 9; n++) {
      const header = await read(sample(`valid/dcm_qa_ts/${n}.dcm`));
      uids.add(header.transferSyntax.uid);
      expect(header).toMatchObject({ series: { modality: 'MR' }, instance: { rows: 384, columns: 384, bitsAllocated: 16, frames: 1 } });
      expect(header.pixelData?.encapsulated).toBe(header.transferSyntax.encapsulated);
    }
    // Implicit and explicit little endian, big endian, RLE, JPEG lossless, JPEG-LS, JPEG 2000.
    expect(uids.size).toBe(7);
    const ct = await read(sample('valid/pydicom/CT_small.dcm'));
    expect(ct.instance).toMatchObject({ rows: 128, columns: 128, rescaleSlope: 1, rescaleIntercept: -1024 });
    expect(ct.instance.imagePositionPatient).toEqual([-158.135803, -179.035797, -75.699997]);
    expect(ct.instance.imageOrientationPatient).toEqual([1, 0, 0, 0, 1, 0]);
    expect(ct.patient).toMatchObject({ name: 'CompressedSamples^CT1', id: '1CT1' });
    const multiFrame = await read(sample('valid/pydicom/examples_ybr_color.dcm'));
    expect(multiFrame.instance.frames).toBe(30);
    expect(multiFrame.pixelData).toMatchObject({ encapsulated: true, fragments: 30 });
  });

  it('decodes names in the data set\'s character set', async () => {
    expect((await read(sample('valid/pydicom/chrH31.dcm'))).patient.name).toBe('Yamada^Tarou=山田^太郎=やまだ^たろう');
    expect((await read(sample('valid/pydicom/chrX1.dcm'))).patient.name).toBe('Wang^XiaoDong=王^小東=');
  });

  it.each([
    ['invalid/ours/empty.dcm', /empty/],
    ['invalid/ours/jpeg_renamed.dcm', /JPEG image, not a DICOM file/],
    ['invalid/ours/text_renamed.dcm', /too short|not a DICOM/],
    ['invalid/ours/trunc_encapsulated_60pct.dcm', /truncated/],
    ['invalid/ours/trunc_in_dataset.dcm', /malformed or truncated/],
    ['invalid/ours/trunc_in_meta.dcm', /0002,0010/],
    ['invalid/ours/trunc_in_pixeldata.dcm', /truncated: its Pixel Data declares 512 bytes but only 256 follow/],
    ['invalid/ours/trunc_in_preamble.dcm', /too short/],
    ['invalid/ours/trunc_last_byte_odd.dcm', /truncated/],
    ['invalid/ours/ts_meta_says_bigendian.dcm', /malformed or truncated/],
    ['invalid/ours/ts_unknown.dcm', /transfer syntax 1\.2\.840\.10008\.1\.2\.9 is not one DICOM defines/],
    ['invalid/ours/uid_invalid_chars.dcm', /SOP Instance UID .* is not a UID/],
    ['invalid/ours/uid_series_missing.dcm', /no Series Instance UID/],
    ['invalid/ours/uid_sop_zeroed.dcm', /no SOP Instance UID/],
    ['invalid/ours/uid_study_empty.dcm', /no Study Instance UID/],
    ['invalid/ours/uid_too_long.dcm', /67 characters long \(at most 64\)/],
    ['invalid/ours/zip_bomb_200MiB.zip', /zip archive/],
    ['invalid/ours/zip_path_traversal.zip', /zip archive/],
    ['invalid/real/pydicom/DICOMDIR', /DICOMDIR/],
    ['invalid/real/pydicom/ExplVR_BigEndNoMeta.dcm', /DICM/],
    ['invalid/real/pydicom/ExplVR_LitEndNoMeta.dcm', /without the Part-10 preamble/],
    ['invalid/real/pydicom/JPEGLSNearLossless_16.dcm', /no Study Instance UID/],
    ['invalid/real/pydicom/MR_truncated.dcm', /truncated/],
    ['invalid/real/pydicom/SC_rgb_jpeg.dcm', /malformed or truncated/],
    ['invalid/real/pydicom/UN_sequence.dcm', /no SOP Class UID/],
    ['invalid/real/pydicom/empty_charset_LEI.dcm', /no SOP Class UID/],
    ['invalid/real/pydicom/hotiron.dcm', /no Study Instance UID/],
    ['invalid/real/pydicom/meta_missing_tsyntax.dcm', /0002,0010/],
    ['invalid/real/pydicom/no_meta.dcm', /DICM/],
    ['invalid/real/pydicom/no_meta_group_length.dcm', /no SOP Class UID/],
    ['invalid/real/pydicom/priv_SQ.dcm', /no SOP Class UID/],
    ['invalid/real/pydicom/rtplan_truncated.dcm', /malformed or truncated/],
    ['invalid/real/pydicom/rtstruct.dcm', /without the Part-10 preamble/],
    ['invalid/real/pydicom/winter.dcm', /no Study Instance UID/],
    ['invalid/real/pydicom/zipMR.gz', /gzip/],
    ['invalid/real/pydicom-data/HTJ2KLossless_08_RGB.dcm', /no Study Instance UID/],
    ['invalid/real/pydicom-data/HTJ2K_08_RGB.dcm', /no Study Instance UID/],
    ['invalid/real/pydicom-data/JLSN_RGB_ILV0.dcm', /without the Part-10 preamble/],
    ['invalid/real/pydicom-data/bad_sequence.dcm', /SOP Instance UID .* is not a UID/],
    ['invalid/real/pydicom-data/emri_small_jpeg_2k_lossless_too_short.dcm', /truncated: its encapsulated Pixel Data ends without a sequence delimiter/],
  ])('refuses %s', async (file, reason) => {
    const err = await rejection(sample(file));
    expect(err).toBeInstanceOf(DicomRejection);
    expect((err as DicomRejection).message).toMatch(reason);
  });

  it.each([
    ['valid/dicomParser/wave_dfl', /file meta information names SOP Instance UID 1\.3\.6\.1\.4\.1\.6018\.1\.1, its data set 1\.3\.6\.1\.4\.1\.6018\.3\.999/],
    ['invalid/ours/rows_exceed_pixeldata.dcm', /Pixel Data has 512 bytes where 32×16×1 samples of 16 bits × 1 frame\(s\) need 1024/],
  ])('tolerates %s with a warning', async (file, warning) => {
    const header = await read(sample(file));
    expect(header.warnings.join('\n')).toMatch(warning);
  });

  it('never crashes or hangs on mutated real files: a header, or a DicomRejection', async () => {
    let state = 0x2545f491;
    const random = () => ((state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const seeds = ['valid/pydicom/CT_small.dcm', 'valid/dicomParser/CT1_UNC.fragmented_bot_jpeg_ls.80.dcm', 'valid/pydicom/ExplVR_BigEnd.dcm', 'valid/pydicom/image_dfl.dcm', 'valid/pydicom/test-SR.dcm', 'valid/pydicom/MR_small.dcm'];
    let read = 0;
    let refused = 0;
    for (const seed of seeds) {
      const original = readFileSync(sample(seed));
      for (let round = 0; round < 150; round++) {
        let bytes = Buffer.from(original);
        const kind = round % 4;
        if (kind === 0) {
          for (let k = 0; k < 1 + random() * 8; k++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
        } else if (kind === 1) {
          bytes = bytes.subarray(0, Math.floor(random() * bytes.length));
        } else if (kind === 2) {
          // Length fields are where parsers die: overwrite 4 bytes in the header with extremes.
          const at = 132 + Math.floor(random() * Math.min(2000, bytes.length - 136));
          bytes.writeUInt32LE([0xffffffff, 0xfffffffe, 0x7fffffff, 0, 1][Math.floor(random() * 5)]!, at);
        } else {
          const at = Math.floor(random() * bytes.length);
          bytes = Buffer.concat([bytes.subarray(0, at), Buffer.alloc(Math.floor(random() * 64), Math.floor(random() * 256)), bytes.subarray(at)]);
        }
        const outcome = await readDicomHeader(bufferSource(bytes)).then(
          () => 'read',
          (err: unknown) => err,
        );
        if (outcome === 'read') read++;
        else {
          expect(outcome, `${seed} round ${round}: ${String(outcome)}`).toBeInstanceOf(DicomRejection);
          refused++;
        }
      }
    }
    expect(read + refused).toBe(seeds.length * 150);
    expect(refused).toBeGreaterThan(0);
  }, 60_000);
});
