import type { DataSet } from 'dicom-parser';
import { openFileSource } from './byte-source';
import { PIXEL_DATA, readDataSet } from './read-header';

const CHUNK = 1024 * 1024;

/**
 * Whether two files are the same DICOM object, however each was encoded: every element outside the
 * file meta information has the same value (sequences compared item by item, so implicit and
 * explicit VR encodings compare equal), and the pixels are byte for byte the same. Asked only when a
 * file arrives under a SOP Instance UID already stored with other bytes: equal means a harmless
 * re-send, different means a conflict.
 */
export async function isSameDataSet(pathA: string, pathB: string): Promise<boolean> {
  const [a, b] = await Promise.all([openFileSource(pathA), openFileSource(pathB)]);
  try {
    const [setA, setB] = await Promise.all([readDataSet(a), readDataSet(b)]);
    if (!sameElements(setA, setB)) return false;
    const [pixA, pixB] = [setA.elements[PIXEL_DATA], setB.elements[PIXEL_DATA]];
    if (!pixA || !pixB) return !pixA && !pixB;
    // A native value is compared as such; encapsulated fragments (undefined length) to the end of the file.
    const span = (pix: typeof pixA, size: number) => (pix.length === 0xffffffff ? size - pix.dataOffset : pix.length);
    const length = span(pixA, a.size);
    if (pixA.length !== pixB.length || length !== span(pixB, b.size)) return false;
    for (let done = 0; done < length; done += CHUNK) {
      const n = Math.min(CHUNK, length - done);
      const [bytesA, bytesB] = await Promise.all([a.read(pixA.dataOffset + done, n), b.read(pixB.dataOffset + done, n)]);
      if (!Buffer.from(bytesA.buffer, bytesA.byteOffset, bytesA.length).equals(bytesB)) return false;
    }
    return true;
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
}

function sameElements(a: DataSet, b: DataSet): boolean {
  const tags = (set: DataSet) => Object.keys(set.elements).filter((t) => !t.startsWith('x0002') && t !== PIXEL_DATA).sort();
  const [tagsA, tagsB] = [tags(a), tags(b)];
  if (tagsA.length !== tagsB.length || tagsA.some((t, i) => t !== tagsB[i])) return false;
  return tagsA.every((tag) => {
    const [ea, eb] = [a.elements[tag]!, b.elements[tag]!];
    if (ea.items || eb.items) {
      const [ia, ib] = [ea.items ?? [], eb.items ?? []];
      return ia.length === ib.length && ia.every((item, i) => !!item.dataSet && !!ib[i]!.dataSet && sameElements(item.dataSet, ib[i]!.dataSet!));
    }
    const va = a.byteArray.subarray(ea.dataOffset, ea.dataOffset + ea.length);
    const vb = b.byteArray.subarray(eb.dataOffset, eb.dataOffset + eb.length);
    return Buffer.from(va.buffer, va.byteOffset, va.length).equals(vb);
  });
}
