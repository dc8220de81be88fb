import { randomUUID } from 'node:crypto';
import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import { getBlobStore } from '@/lib/storage/get-blob-store';

export type RetrieveTarget = { study: string; series?: string; instance?: string };

/** The instances a study, series or instance URL names (for retrieve and metadata alike). */
export function instancesOf({ study, series, instance }: RetrieveTarget) {
  return {
    ...(instance ? { sopInstanceUid: instance } : {}),
    series: { ...(series ? { seriesInstanceUid: series } : {}), study: { studyInstanceUid: study } },
  };
}

export function notFoundFor({ series, instance }: RetrieveTarget): AppError {
  return new AppError('NOT_FOUND', instance ? 'No such instance.' : series ? 'No such series.' : 'No such study.');
}

/**
 * WADO-RS RetrieveStudy / RetrieveSeries / RetrieveInstance (PS3.18 §10.4): the stored files, byte
 * for byte as they arrived, as one multipart/related response streamed from the blob store, each part
 * labelled with its transfer syntax. NOT_FOUND when nothing matches.
 */
export async function retrieveInstances(target: RetrieveTarget): Promise<Response> {
  const instances = await getDb().instance.findMany({
    where: instancesOf(target),
    select: { sha256: true, size: true, transferSyntaxUid: true },
    orderBy: [{ seriesId: 'asc' }, { instanceNumber: 'asc' }, { id: 'asc' }],
  });
  if (instances.length === 0) throw notFoundFor(target);
  const boundary = `cohort-${randomUUID()}`;
  const encoder = new TextEncoder();
  const blobs = getBlobStore();
  async function* parts() {
    for (const i of instances) {
      yield encoder.encode(`--${boundary}\r\nContent-Type: application/dicom; transfer-syntax=${i.transferSyntaxUid}\r\nContent-Length: ${i.size}\r\n\r\n`);
      for await (const chunk of await blobs.get(i.sha256)) yield chunk as Uint8Array;
      yield encoder.encode('\r\n');
    }
    yield encoder.encode(`--${boundary}--\r\n`);
  }
  const iterator = parts();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel() {
      await iterator.return(undefined);
    },
  });
  return new Response(body, {
    headers: { 'content-type': `multipart/related; type="application/dicom"; boundary=${boundary}` },
  });
}
