import fs from 'node:fs/promises';
import dcmjs from 'dcmjs';
import { env } from '@/lib/config/env';
import { getDb } from '@/lib/db/client';
import { decodeText, encodingOf } from '@/lib/dicom/character-set';
import { IMPLICIT_VR_LITTLE_ENDIAN, transferSyntaxOf } from '@/lib/dicom/transfer-syntaxes';
import { getBlobStore } from '@/lib/storage/get-blob-store';
import { attr, type DicomJsonDataset } from './dicom-json';
import { instancesOf, notFoundFor, type RetrieveTarget } from './wado-rs';

const BINARY_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'UN']);
/** Binary values up to this size travel inline (base64); larger ones (pixels, overlays) are left out. */
const MAX_INLINE_BINARY = 64 * 1024;
const TEXT_VRS = new Set(['PN', 'LO', 'SH', 'ST', 'LT', 'UT', 'UC']);

/**
 * WADO-RS RetrieveMetadata (PS3.18 §10.4.1.1.2): each instance's data set as DICOM JSON, read from
 * the stored file only up to its Pixel Data (the pixels are fetched as frames). Small binary values
 * come inline; Pixel Data and other large binaries are left out.
 */
export async function retrieveMetadata(target: RetrieveTarget): Promise<DicomJsonDataset[]> {
  const rows = await getDb().instance.findMany({
    where: instancesOf(target),
    select: { sopInstanceUid: true, sha256: true, size: true, transferSyntaxUid: true, pixelDataOffset: true, series: { select: { seriesInstanceUid: true } } },
    orderBy: [{ seriesId: 'asc' }, { instanceNumber: 'asc' }, { id: 'asc' }],
  });
  if (rows.length === 0) throw notFoundFor(target);
  const out: DicomJsonDataset[] = [];
  for (const row of rows) {
    const dataset = await readDataSetJson(getBlobStore().pathOf(row.sha256), row);
    dataset['00083002'] = attr('UI', row.transferSyntaxUid);
    dataset['00081190'] = attr('UR', `${env.appUrl}/dicomweb/studies/${target.study}/series/${row.series.seriesInstanceUid}/instances/${row.sopInstanceUid}`);
    out.push(dataset);
  }
  return out;
}

async function readDataSetJson(file: string, row: { size: number; transferSyntaxUid: string; pixelDataOffset: number | null }): Promise<DicomJsonDataset> {
  // Up to the Pixel Data element's header (8 bytes implicit VR, 12 explicit): the pixels are not read.
  const header = row.transferSyntaxUid === IMPLICIT_VR_LITTLE_ENDIAN ? 8 : 12;
  const deflated = transferSyntaxOf(row.transferSyntaxUid)?.deflated;
  const length = row.pixelDataOffset !== null && !deflated ? row.pixelDataOffset - header : row.size;
  const handle = await fs.open(file, 'r');
  const bytes = Buffer.alloc(length);
  try {
    await handle.read(bytes, 0, length, 0);
  } finally {
    await handle.close();
  }
  const { dict } = dcmjs.data.DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + length), { untilTag: '7FE00010', ignoreErrors: true });
  // dcmjs reports text as UTF-8 (ISO_IR 192) once read; the file's own declaration is in _rawValue.
  const declared = dict['00080005'] as RawElement | undefined;
  const charset = [declared?._rawValue ?? declared?.Value ?? []].flat().join('\\');
  // dcmjs does not follow ISO 2022 code extensions (escape sequences): such text is decoded again here.
  const redecode = charset.includes('ISO 2022') ? encodingOf(charset) : null;
  return clean(dict, redecode);
}

type RawElement = { vr: string; Value?: unknown[]; _rawValue?: unknown };

function clean(dict: Record<string, unknown>, redecode: string | null): DicomJsonDataset {
  const out: DicomJsonDataset = {};
  for (const [tag, raw] of Object.entries(dict)) {
    const element = raw as RawElement;
    if (tag === '7FE00010' || tag.startsWith('0002')) continue;
    const { vr } = element;
    const values = element.Value ?? [];
    if (vr === 'SQ') {
      out[tag] = attr('SQ', ...values.map((item) => clean(item as Record<string, unknown>, redecode)));
    } else if (BINARY_VRS.has(vr)) {
      const buffers = values.filter((v): v is ArrayBuffer => v instanceof ArrayBuffer);
      const size = buffers.reduce((n, b) => n + b.byteLength, 0);
      if (size > 0 && size <= MAX_INLINE_BINARY) out[tag] = { vr, InlineBinary: Buffer.concat(buffers.map((b) => Buffer.from(b))).toString('base64') };
      else if (size === 0) out[tag] = attr(vr);
    } else if (redecode && TEXT_VRS.has(vr)) {
      out[tag] = attr(vr, ...values.map((v) => fixText(v, redecode)));
    } else {
      out[tag] = values.length ? attr(vr, ...values) : attr(vr);
    }
  }
  return out;
}

function fixText(value: unknown, encoding: string): unknown {
  const fix = (s: string) => decodeText(Buffer.from(s, 'latin1'), encoding);
  if (typeof value === 'string') return fix(value);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? fix(v) : v]));
  return value;
}
