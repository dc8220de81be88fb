import dcmjs from 'dcmjs';

/**
 * dcmjs's own (denaturalized) data set form, read and written without naturalizing: keys are tags
 * "GGGGEEEE" (upper-case hex), values `{ vr, Value }`; a sequence's Value is its items, each such a
 * data set; PN values are `{ Alphabetic, Ideographic, Phonetic }`; binary values are ArrayBuffers.
 * `_rawValue` is what dcmjs read, written back unchanged while `Value` is untouched.
 */
export type DcmjsElement = { vr: string; Value: unknown[]; _rawValue?: unknown };
export type DcmjsDataset = Record<string, DcmjsElement>;

type DcmjsDict = { meta: DcmjsDataset; dict: DcmjsDataset; write(options?: Record<string, unknown>): ArrayBuffer };
/** The part of dcmjs.data this module uses (types/dcmjs.d.ts declares less). */
type DcmjsData = {
  DicomDict: new (meta: DcmjsDataset) => DcmjsDict;
  DicomMessage: { readFile(buffer: ArrayBuffer, options?: Record<string, unknown>): DcmjsDict };
};
const data = dcmjs.data as unknown as DcmjsData;

// dcmjs reports every value whose VR it cannot place on its "validation" logger: thousands of lines per
// file for some archives. Such values are kept as UN/OW on purpose, so the report is only noise.
(dcmjs as unknown as { log: { getLogger(name: string): { setLevel(level: string): void } } }).log.getLogger('validation.dcmjs').setLevel('silent');

// Keep values as they came even where they break a VR's length limit (real archives have them): the
// data set is de-identified, not repaired.
const WRITE_OPTIONS = { allowInvalidVRLength: true };

/** 128-byte preamble, "DICM" and a File Meta Information that names only the transfer syntax. */
const prefixes = new Map<string, Uint8Array>();
function prefixFor(transferSyntaxUid: string): Uint8Array {
  let prefix = prefixes.get(transferSyntaxUid);
  if (!prefix) {
    const dict = new data.DicomDict({ '00020010': { vr: 'UI', Value: [transferSyntaxUid] } });
    prefix = new Uint8Array(dict.write(WRITE_OPTIONS));
    prefixes.set(transferSyntaxUid, prefix);
  }
  return prefix;
}

/**
 * The attributes encoded in `bytes` (a run of whole data elements, no File Meta Information) in the
 * transfer syntax given (for a deflated file: explicit VR little endian, the bytes already inflated).
 * dcmjs only reads whole files, so the bytes are read behind a minimal file prefix. `lenient` lets
 * dcmjs go on past what it cannot decode (multi-valued Specific Character Set); the caller must then
 * check that nothing was dropped.
 */
export function readDataset(bytes: Uint8Array, transferSyntaxUid: string, lenient = false): DcmjsDataset {
  const prefix = prefixFor(transferSyntaxUid);
  const file = new Uint8Array(prefix.length + bytes.length);
  file.set(prefix);
  file.set(bytes, prefix.length);
  const dataset = data.DicomMessage.readFile(file.buffer, { ignoreErrors: lenient, untilTag: null, includeUntilTagValue: false, noCopy: false, forceStoreRaw: false }).dict;
  checkValueSizes(dataset, bytes.length);
  return dataset;
}

/**
 * dcmjs re-reads UN values it believes are sequences (CP-246) without checking their item lengths
 * against the input: a garbled one yields values far larger than the file (seen: 900 MB from 180 kB).
 * No value can be longer than the bytes it was read from.
 */
function checkValueSizes(dataset: DcmjsDataset, limit: number, path = ''): void {
  for (const [tag, element] of Object.entries(dataset)) {
    for (const value of element.Value ?? []) {
      if (value instanceof ArrayBuffer && value.byteLength > limit) {
        throw new Error(`${path}(${tag.slice(0, 4)},${tag.slice(4)}) decodes to ${value.byteLength} bytes, more than the ${limit} it was read from`);
      }
      if (element.vr === 'SQ' && value && typeof value === 'object') checkValueSizes(value as DcmjsDataset, limit, `${path}(${tag.slice(0, 4)},${tag.slice(4)}) > `);
    }
  }
}

/** A Part-10 file of `meta` (File Meta Information without its group length) and `dataset`, as dcmjs writes it. */
export function writePart10File(meta: DcmjsDataset, dataset: DcmjsDataset): Uint8Array {
  const dict = new data.DicomDict(meta);
  dict.dict = dataset;
  return new Uint8Array(dict.write(WRITE_OPTIONS));
}

/** The encoded data elements of `dataset` alone, in the transfer syntax given (dcmjs's encoding). */
export function writeDataset(dataset: DcmjsDataset, transferSyntaxUid: string): Uint8Array {
  const prefix = prefixFor(transferSyntaxUid);
  return writePart10File({ '00020010': { vr: 'UI', Value: [transferSyntaxUid] } }, dataset).subarray(prefix.length);
}

/** Where the data set starts in a Part-10 file: after the preamble, "DICM" and the group-length-prefixed meta. */
export function metaEnd(part10: Uint8Array): number {
  const view = new DataView(part10.buffer, part10.byteOffset, part10.byteLength);
  return 132 + 12 + view.getUint32(140, true);
}
