import { env } from '@/lib/config/env';
import { FAILURE_REASON } from '@/lib/dicom/dicom-rejection';
import { ingestFiles, type FileOutcome } from '@/lib/dicom/ingest-files';
import { AppError } from '@/lib/errors/app-error';
import { attr, seq, type DicomJsonDataset } from './dicom-json';
import { contentTypeParameter, multipartBoundary, readMultipart } from './multipart';

export type StowRequest = {
  body: ReadableStream<Uint8Array> | null;
  contentType: string | null;
  /** POST /studies/{study}: every instance must belong to this study. */
  studyInstanceUid?: string;
  actorUserId: string;
};

/**
 * STOW-RS (PS3.18 §10.5): stores the application/dicom parts of a multipart/related request and
 * answers with the standard response: ReferencedSOPSequence for what is stored (duplicates
 * included: storing is idempotent), FailedSOPSequence with a FailureReason for the rest. 200 when
 * all were stored, 202 when some were, 409 when none was.
 */
export async function storeStowRequest({ body, contentType, studyInstanceUid, actorUserId }: StowRequest): Promise<{ status: number; json: DicomJsonDataset }> {
  const boundary = multipartBoundary(contentType, 'related');
  const type = contentTypeParameter(contentType, 'type');
  if (type && type.toLowerCase() !== 'application/dicom') {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', `Cohort stores whole DICOM files (type="application/dicom"), not ${type}.`);
  }
  if (!body) throw new AppError('BAD_REQUEST', 'The request has no body.');

  const parts = (async function* () {
    let n = 0;
    // Node's ReadableStream is async-iterable; the DOM typings do not say so.
    for await (const part of readMultipart(body as unknown as AsyncIterable<Uint8Array>, boundary)) {
      n++;
      const partType = part.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
      if (partType && partType !== 'application/dicom') {
        throw new AppError('UNSUPPORTED_MEDIA_TYPE', `Part ${n} is ${partType}; every part must be application/dicom.`);
      }
      yield { name: `part ${n}`, body: part.body };
    }
  })();
  const outcomes = await ingestFiles(parts, {
    actorUserId,
    screen: studyInstanceUid
      ? (header) =>
          header.studyInstanceUid === studyInstanceUid
            ? null
            : {
                status: 'rejected',
                sopInstanceUid: header.sopInstanceUid,
                sopClassUid: header.sopClassUid,
                failureReason: FAILURE_REASON.DATA_SET_DOES_NOT_MATCH_SOP_CLASS,
                reason: `It belongs to study ${header.studyInstanceUid}, not ${studyInstanceUid}.`,
              }
      : undefined,
  });
  if (outcomes.length === 0) throw new AppError('BAD_REQUEST', 'The request holds no DICOM parts.');
  return stowResponse(outcomes, studyInstanceUid);
}

function stowResponse(outcomes: FileOutcome[], studyInstanceUid?: string): { status: number; json: DicomJsonDataset } {
  const base = `${env.appUrl}/dicomweb`;
  const referenced: DicomJsonDataset[] = [];
  const failed: DicomJsonDataset[] = [];
  for (const o of outcomes) {
    if (o.status === 'rejected') {
      failed.push({
        ...(o.sopClassUid ? { '00081150': attr('UI', o.sopClassUid) } : {}),
        ...(o.sopInstanceUid ? { '00081155': attr('UI', o.sopInstanceUid) } : {}),
        '00081197': attr('US', o.failureReason),
        // Not in the standard's sequence, but what a person needs: why, in words (Orthanc does the same).
        '00090010': attr('LO', 'COHORT'),
        '00091001': attr('LT', o.reason),
      });
    } else {
      referenced.push({
        '00081150': attr('UI', o.sopClassUid),
        '00081155': attr('UI', o.sopInstanceUid),
        '00081190': attr('UR', `${base}/studies/${o.studyInstanceUid}/series/${o.seriesInstanceUid}/instances/${o.sopInstanceUid}`),
        ...(o.warnings.length ? { '00081196': attr('US', 0xb000) } : {}),
      });
    }
  }
  const studies = new Set(outcomes.flatMap((o) => (o.status === 'rejected' ? [] : [o.studyInstanceUid])));
  const study = studyInstanceUid ?? (studies.size === 1 ? [...studies][0] : undefined);
  const json: DicomJsonDataset = {
    ...(study ? { '00081190': attr('UR', `${base}/studies/${study}`) } : {}),
    ...(failed.length ? { '00081198': seq(failed) } : {}),
    ...(referenced.length ? { '00081199': seq(referenced) } : {}),
  };
  return { status: failed.length === 0 ? 200 : referenced.length === 0 ? 409 : 202, json };
}
