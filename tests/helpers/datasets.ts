import { encodeLabelmapRle } from '@/lib/annotations/labelmap-rle.client';
import { openAnnotation } from '@/lib/annotations/open-annotation';
import { reviewAnnotation } from '@/lib/annotations/review-annotation';
import { saveAnnotation } from '@/lib/annotations/save-annotation';
import { ZSaveAnnotationInput } from '@/lib/annotations/schemas';
import { recordDecision } from '@/lib/consent/record-decision';
import type { ConsentDecisionKind, ConsentPurpose } from '@/lib/consent/purposes';
import { getDb } from '@/lib/db/client';
import { bufferSource } from '@/lib/dicom/byte-source';
import { ingestFiles } from '@/lib/dicom/ingest-files';
import { readDicomHeader } from '@/lib/dicom/read-header';
import { syntheticCtSeries } from '@/lib/dicom/synthetic-ct';

type Actor = { id: string };

/** Ingests a one-slice synthetic CT study of patient `patientKey` and returns its ids. */
export async function ctStudyOf(patientKey: string, actor: Actor, opts: { studyDate?: string; slices?: number } = {}) {
  const files = syntheticCtSeries({ slices: opts.slices ?? 1, patient: { name: `Patient^${patientKey}`, id: patientKey, birthDate: '19800101', sex: 'O' }, accessionNumber: `${patientKey}-${Math.random().toString(36).slice(2, 8)}`, studyDate: opts.studyDate });
  await ingestFiles((async function* () { for (const body of files) yield { body }; })(), { actorUserId: actor.id });
  const header = await readDicomHeader(bufferSource(files[0]!));
  const series = await getDb().series.findUniqueOrThrow({ where: { seriesInstanceUid: header.seriesInstanceUid }, include: { study: true } });
  return { studyId: series.studyId, patientId: series.study.patientId, seriesInstanceUid: series.seriesInstanceUid, files };
}

/**
 * A reader's label of one study: `segmentValue` voxels in the first slice (512² synthetic CT) and
 * answers; submitted and accepted by `reviewer` when given, only saved otherwise.
 */
export async function labelStudy(opts: {
  projectId: string;
  studyId: string;
  seriesInstanceUid: string;
  reader: Actor;
  segmentValue?: number;
  answers?: { questionId: string; choiceIds: string[] }[];
  acceptedBy?: Actor;
  slices?: number;
  /** The series' labelmap as layers (layer 0, then layers of segments overlapping it), in place of `segmentValue`'s. */
  layers?: Uint8Array[];
}) {
  const reader = { id: opts.reader.id, roles: ['radiologist' as const] };
  const { id } = await openAnnotation({ user: reader, projectId: opts.projectId, studyId: opts.studyId });
  const slices = opts.slices ?? 1;
  const voxels = new Uint8Array(512 * 512 * slices);
  if (opts.segmentValue) voxels.fill(opts.segmentValue, 512 * 200 + 200, 512 * 200 + 260);
  await saveAnnotation({
    user: reader,
    annotationId: id,
    input: ZSaveAnnotationInput.parse({
      baseVersion: 0,
      schemaVersion: 1,
      reason: opts.acceptedBy ? 'submit' : 'save',
      content: { answers: opts.answers ?? [] },
      labelmaps: (opts.layers ?? (opts.segmentValue ? [voxels] : [])).map((layer, n) => ({ seriesInstanceUid: opts.seriesInstanceUid, layer: n, columns: 512, rows: 512, slices, rle: Buffer.from(encodeLabelmapRle(layer)).toString('base64') })),
    }),
  });
  if (opts.acceptedBy) await reviewAnnotation({ user: { id: opts.acceptedBy.id, roles: ['radiologist'] }, annotationId: id, input: { decision: 'accept', comment: '' } });
  return { annotationId: id, voxels };
}

/** A consent decision on all of a patient's studies, as an admin recording a paper form would make it. */
export async function decideFor(patientId: string, actor: Actor, purpose: ConsentPurpose, decision: ConsentDecisionKind, validUntil: Date | null = null) {
  const db = getDb();
  const patient = await db.patient.findUniqueOrThrow({ where: { id: patientId } });
  return db.$transaction((tx) => recordDecision(tx, { userId: actor.id, patient, study: null, purpose, decision, validUntil, source: 'paper_form' }));
}
