import { getDb } from '@/lib/db/client';
import { buildDicomdir, mediaFileId, type DicomdirInput } from '@/lib/dicom/dicomdir';
import { formatDicomDate } from '@/lib/dicom/display.client';
import { patientIdOf } from '@/lib/dicom/patient-key.client';
import { getBlobStore } from '@/lib/storage/get-blob-store';
import { ReadAhead } from '@/lib/storage/read-ahead';
import { bytesEntry, zipLength, zipStream, type ZipEntry } from '@/lib/zip/zip-stream';

export type StudyArchive = {
  filename: string;
  /** Exact byte length, so the browser can show real progress; null when made as it is sent (pictures). */
  length: number | null;
  /** The archive's bytes, read file by file from the store as they are sent (never the whole study in memory). */
  bytes: (signal?: AbortSignal) => AsyncGenerator<Uint8Array>;
};

/** Blob reads of 1 MiB: a whole study is copied, and 64 KiB round trips would halve the download rate. */
const READ_CHUNK = 1024 * 1024;

const README = `An imaging study, as the hospital stored it

DICOMDIR        the index a CD/DVD viewer or another hospital's import reads first
DICOM/...       the original images (DICOM files), one per image, unchanged

To look at them, open DICOMDIR (or the whole folder) in a DICOM viewer, for example
Weasis, Horos, OsiriX or MicroDicom. To give them to another hospital, hand over the
whole folder as it is: their system imports it like a CD from another hospital.
`;

/**
 * A study as a zip of its original DICOM files with a DICOMDIR (the PS3.10 media layout), streamed:
 * the archive's layout and length are computed from the database, and the files are read from the
 * store only as the zip reaches them. No access check: callers decide who may have it, and log it.
 */
export async function studyArchive(studyId: string): Promise<StudyArchive> {
  const study = await getDb().study.findUniqueOrThrow({
    where: { id: studyId },
    select: {
      id: true,
      studyInstanceUid: true,
      studyDate: true,
      studyTime: true,
      description: true,
      studyId: true,
      accessionNumber: true,
      modalities: true,
      patient: { select: { name: true, patientKey: true, birthDate: true, sex: true } },
      series: {
        orderBy: [{ seriesNumber: 'asc' }, { createdAt: 'asc' }],
        select: {
          seriesInstanceUid: true,
          modality: true,
          seriesNumber: true,
          instances: {
            orderBy: [{ instanceNumber: 'asc' }, { createdAt: 'asc' }],
            select: { sopClassUid: true, sopInstanceUid: true, transferSyntaxUid: true, instanceNumber: true, sha256: true, size: true },
          },
        },
      },
    },
  });
  const files: { name: string; size: number; sha256: string }[] = [];
  const dicomdir: DicomdirInput = {
    fileSetId: 'COHORT',
    patients: [
      {
        name: study.patient.name,
        id: patientIdOf(study.patient.patientKey),
        birthDate: study.patient.birthDate,
        sex: study.patient.sex,
        studies: [
          {
            studyInstanceUid: study.studyInstanceUid,
            studyDate: study.studyDate,
            studyTime: study.studyTime,
            studyDescription: study.description,
            studyId: study.studyId,
            accessionNumber: study.accessionNumber,
            series: study.series.map((series, s) => ({
              seriesInstanceUid: series.seriesInstanceUid,
              modality: series.modality,
              seriesNumber: series.seriesNumber,
              instances: series.instances.map((instance, i) => {
                const fileId = mediaFileId(0, 0, s, i);
                files.push({ name: fileId.join('/'), size: instance.size, sha256: instance.sha256 });
                const { sopClassUid, sopInstanceUid, transferSyntaxUid, instanceNumber } = instance;
                return { sopClassUid, sopInstanceUid, transferSyntaxUid, instanceNumber, fileId };
              }),
            })),
          },
        ],
      },
    ],
  };
  const index = buildDicomdir(dicomdir);
  const entries = (blobs: ReadAhead): ZipEntry[] => [
    bytesEntry('DICOMDIR', index),
    bytesEntry('README.TXT', Buffer.from(README)),
    ...files.map(({ name, size }, i) => ({ name, size, open: () => blobs.open(i) })),
  ];
  // The length needs names and sizes only: nothing is opened here.
  const length = zipLength(entries(readAhead([])));
  return {
    filename: archiveName(study),
    length,
    bytes: async function* (signal) {
      const blobs = readAhead(files.map((f) => f.sha256));
      try {
        yield* zipStream(entries(blobs), { signal });
      } finally {
        blobs.close();
      }
    },
  };
}

function readAhead(sha256s: readonly string[]): ReadAhead {
  return new ReadAhead(sha256s.length, (i) => getBlobStore().get(sha256s[i]!, undefined, { chunkBytes: READ_CHUNK }));
}

/** "study-2024-01-03-CT.zip" (or "…-pictures.zip"): what the patient will recognise in their downloads folder. */
export function archiveName({ studyDate, modalities }: { studyDate: string; modalities: string }, kind?: string): string {
  const date = formatDicomDate(studyDate);
  const kinds = kind ?? modalities.split('\\').filter((m) => /^[A-Z]{1,8}$/.test(m)).join('-');
  return `study-${/^\d{4}-\d{2}-\d{2}$/.test(date) ? date : 'undated'}${kinds ? `-${kinds}` : ''}.zip`;
}
