/**
 * The de-identified data set encoder (lib/dicom/deidentify/encode-dataset.ts) against dcmjs, on every
 * valid sample file (../shared/dicom-samples: implicit, explicit, big endian, deflated) and the
 * PHI-laden generated file: attributes copied from the input and attributes encoded anew read back,
 * with dcmjs, exactly as dcmjs's own encoding of the same data set does.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type DcmjsDataset, readDataset, writeDataset } from '@/lib/dicom/deidentify/dcmjs-dataset';
import { encodeDataset, part10Prefix } from '@/lib/dicom/deidentify/encode-dataset';
import { splitPart10 } from '@/lib/dicom/deidentify/split-part10';
import { EXPLICIT_VR_LITTLE_ENDIAN } from '@/lib/dicom/transfer-syntaxes';
import { SAMPLES_DIR, samplesUnder } from '../helpers/dicom-samples';
import { phiLadenDicom } from '../helpers/phi-laden-dicom';

/** What dcmjs reads: values only (the raw strings it also keeps differ in padding), binary as hex. */
function values(dataset: DcmjsDataset): unknown {
  return JSON.parse(JSON.stringify(dataset, (key, v: unknown) => (key === '_rawValue' ? undefined : v instanceof ArrayBuffer ? Buffer.from(v).toString('hex') : v)));
}

/** The attributes before the pixel data of a file, as de-identification reads them. */
function attributesOf(file: Uint8Array) {
  const parts = splitPart10(file);
  const syntax = parts.deflated ? EXPLICIT_VR_LITTLE_ENDIAN : parts.transferSyntaxUid;
  const end = parts.pixels ? parts.pixels.start : parts.bytes.length;
  const dataset = readDataset(parts.bytes.subarray(parts.datasetStart, end), syntax, true);
  const original = new Map(Object.entries(dataset));
  // As de-identification leaves it: declared UTF-8, text of another character set copied only where ASCII.
  const declared = dataset['00080005'];
  const asciiOnly = [declared?._rawValue ?? declared?.Value ?? []].flat().map((v) => String(v).trim()).join('\\') !== 'ISO_IR 192';
  dataset['00080005'] = { vr: 'CS', Value: ['ISO_IR 192'] };
  // Only what lies before the pixel data (dicom-parser lists the rest too).
  const ranges = new Map([...parts.ranges].filter(([, r]) => r.end <= end));
  return { parts, syntax, dataset, ranges, original, asciiOnly };
}

const isAscii = (bytes: Uint8Array) => bytes.every((b) => b < 0x80);

const files = [
  ...samplesUnder('valid').map((f) => [path.relative(SAMPLES_DIR, f), new Uint8Array(readFileSync(f))] as const),
  ...['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.2'].map(
    (ts) => [`PHI-laden ${ts}`, phiLadenDicom({ studyInstanceUid: '1.2.3.1', seriesInstanceUid: '1.2.3.2', sopInstanceUid: '1.2.3.3', frameOfReferenceUid: '1.2.3.4', transferSyntaxUid: ts }).bytes] as const,
  ),
];

describe('encodeDataset (how a de-identified data set is written)', () => {
  it.each(files)('copies the unchanged attributes of %s as they were', (_, file) => {
    const { parts, syntax, dataset, ranges, original, asciiOnly } = attributesOf(file);
    const encoded = encodeDataset(dataset, syntax, { bytes: parts.bytes, ranges, original, asciiOnly });
    // (dcmjs's own encoding is the reference rather than the data set: dcmjs decodes text inside
    // sequence items as latin1 whatever the file declares, the same for both.)
    expect(values(readDataset(encoded, syntax, true))).toEqual(values(readDataset(writeDataset(dataset, syntax), syntax, true)));
    // Every attribute of defined length other than a sequence (or text to re-encode) is the input's own bytes.
    const copied = Buffer.from(encoded);
    for (const [tag, range] of ranges) {
      if (dataset[tag]?.vr === 'SQ' || tag === '00080005' || (asciiOnly && !isAscii(parts.bytes.subarray(range.value, range.end)))) continue;
      expect(copied.includes(Buffer.from(parts.bytes.subarray(range.start, range.end))), tag).toBe(true);
    }
  });

  it.each(files)('encodes the attributes of %s, made anew, as dcmjs does', (_, file) => {
    const { syntax, dataset } = attributesOf(file);
    // New objects: nothing is copied, every attribute is encoded (by dcmjs where the encoder leaves it).
    const fresh = Object.fromEntries(Object.entries(dataset).map(([tag, element]) => [tag, { ...element }])) as DcmjsDataset;
    const ours = encodeDataset(fresh, syntax, null);
    expect(values(readDataset(ours, syntax, true))).toEqual(values(readDataset(writeDataset(dataset, syntax), syntax, true)));
  });

  it('tells unchanged attributes by identity: the object read is copied from the input, a new one is encoded', () => {
    const { parts, syntax, dataset, ranges, original } = attributesOf(files.find(([n]) => n.startsWith('PHI-laden 1.2.840.10008.1.2.1'))![1]);
    const [kept, replaced] = Object.keys(dataset).filter((tag) => dataset[tag]!.vr === 'LO' && ranges.has(tag));
    const before = dataset[kept!]!.Value;
    // The same object altered in place counts as unchanged (de-identification never does this): its input bytes are copied.
    dataset[kept!]!.Value = ['ALTERED IN PLACE'];
    dataset[replaced!] = { vr: 'LO', Value: ['REPLACED'] };
    const read = readDataset(encodeDataset(dataset, syntax, { bytes: parts.bytes, ranges, original, asciiOnly: false }), syntax, true);
    expect(read[kept!]!.Value).not.toEqual(['ALTERED IN PLACE']);
    expect(read[kept!]!.Value).toEqual(before);
    expect(read[replaced!]!.Value).toEqual(['REPLACED']);
  });

  it('copies text in another character set than UTF-8 only where it is ASCII', () => {
    const { parts, syntax, dataset, ranges } = attributesOf(files.find(([n]) => n.startsWith('PHI-laden 1.2.840.10008.1.2.1'))![1]);
    const name = Object.keys(dataset).find((tag) => dataset[tag]!.vr === 'LO' && ranges.has(tag))!;
    const range = ranges.get(name)!;
    const bytes = new Uint8Array(parts.bytes);
    bytes[range.value] = 0xe9; // "é" in ISO_IR 100: not UTF-8
    const latin1 = readDataset(bytes.subarray(parts.datasetStart, parts.pixels!.start), syntax, true);
    const original = new Map(Object.entries(latin1));
    // As de-identification declares it: the file is now UTF-8.
    latin1['00080005'] = { vr: 'CS', Value: ['ISO_IR 192'] };
    const encoded = encodeDataset(latin1, syntax, { bytes, ranges, original, asciiOnly: true });
    const text = Buffer.from(encoded);
    expect(text.includes(Buffer.from(bytes.subarray(range.start, range.end)))).toBe(false);
    expect(readDataset(encoded, syntax, true)[name]!.Value).toEqual(latin1[name]!.Value);
  });

  it('writes a File Meta Information that dcmjs reads, with its group length', () => {
    const meta: DcmjsDataset = {
      '00020001': { vr: 'OB', Value: [new Uint8Array([0, 1]).buffer] },
      '00020002': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.2'] },
      '00020003': { vr: 'UI', Value: ['2.25.1'] },
      '00020010': { vr: 'UI', Value: [EXPLICIT_VR_LITTLE_ENDIAN] },
      '00020013': { vr: 'SH', Value: ['COHORT_DEID_1'] },
    };
    const prefix = part10Prefix(meta);
    const file = splitPart10(new Uint8Array([...prefix, ...encodeDataset({ '00080018': { vr: 'UI', Value: ['2.25.1'] } }, EXPLICIT_VR_LITTLE_ENDIAN, null)]));
    expect(file.transferSyntaxUid).toBe(EXPLICIT_VR_LITTLE_ENDIAN);
    expect(file.datasetStart).toBe(prefix.length);
    expect(new DataView(prefix.buffer).getUint32(140, true)).toBe(prefix.length - 144);
  });
});
