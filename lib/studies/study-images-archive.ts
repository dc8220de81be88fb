import { canRenderRow, renderRow } from '@/lib/dicom/render-frame';
import { getDb } from '@/lib/db/client';
import { encodePng } from '@/lib/format/encode-png';
import { log } from '@/lib/log/logger';
import { bytesEntry, zipStream, type ZipEntry } from '@/lib/zip/zip-stream';
import { archiveName, type StudyArchive } from './study-archive';

/** Stand-in for an image whose file turns out not to decode: the archive is already on its way. */
const UNREADABLE = encodePng(new Uint8Array(64 * 64).fill(96), 64, 64, 1);

/**
 * A study as ordinary pictures, for people without a DICOM viewer: a zip with a folder per series and
 * a PNG per image (every frame), windowed as the file says, each drawn only when the zip reaches it.
 * Images the server cannot draw (compressed colour, palette colour) are left out, and the README in
 * the zip says how many and where to find them (the DICOM download). Its length is not known ahead.
 */
export async function studyImagesArchive(studyId: string): Promise<StudyArchive & { images: number }> {
  const study = await getDb().study.findUniqueOrThrow({
    where: { id: studyId },
    select: {
      studyDate: true,
      modalities: true,
      series: {
        orderBy: [{ seriesNumber: 'asc' }, { createdAt: 'asc' }],
        select: { seriesNumber: true, modality: true, description: true, instances: { orderBy: [{ instanceNumber: 'asc' }, { createdAt: 'asc' }] } },
      },
    },
  });
  const entries: ZipEntry[] = [];
  let skipped = 0;
  for (const [s, series] of study.series.entries()) {
    const folder = folderName(s, series);
    let n = 0;
    for (const row of series.instances) {
      if (!canRenderRow(row)) {
        skipped++;
        continue;
      }
      for (let frame = 1; frame <= row.frames; frame++) {
        n++;
        entries.push({ name: `${folder}/${String(n).padStart(4, '0')}.png`, size: undefined, open: () => drawn(row, frame) });
      }
    }
  }
  const readme = readmeText(entries.length, skipped);
  entries.unshift(bytesEntry('README.txt', Buffer.from(readme)));
  return { filename: archiveName(study, 'pictures'), length: null, images: entries.length - 1, bytes: (signal) => zipStream(entries, { signal }) };
}

async function* drawn(row: Parameters<typeof renderRow>[0], frame: number) {
  try {
    yield await renderRow(row, { frame });
  } catch (err) {
    log.warn('study pictures: an image did not decode; a grey square stands in for it', { sopInstanceUid: row.sopInstanceUid, frame, err });
    yield UNREADABLE;
  }
}

/** "02 CT Axial 5 mm soft tissue": its order, modality and description, safe as a folder name anywhere. */
function folderName(index: number, series: { modality: string; description: string }): string {
  const words = `${series.modality} ${series.description}`.replace(/[^A-Za-z0-9 ._-]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 60);
  return `${String(index + 1).padStart(2, '0')}${words ? ` ${words}` : ''}`.replace(/[. ]+$/, '');
}

function readmeText(images: number, skipped: number): string {
  return [
    'The images of an imaging study, as pictures (PNG) anyone can open.',
    '',
    `There is a folder per series, and ${images} picture${images === 1 ? '' : 's'} in all, in the order of the scan.`,
    'Pictures are for looking at, not for diagnosis: doctors need the original DICOM files (the other download), which keep every detail.',
    ...(skipped ? ['', `${skipped} image${skipped === 1 ? ' is' : 's are'} stored in a form that cannot be turned into a picture here; they are in the DICOM download.`] : []),
    '',
  ].join('\n');
}
