import { setTimeout as sleep } from 'node:timers/promises';
import type { IncomingFile } from '@/lib/dicom/ingest-files';
import { multipartBoundary, readMultipart } from '@/lib/dicomweb/multipart';
import { AppError } from '@/lib/errors/app-error';
import type { DicomWebSource, RemoteStudyQuery } from './schemas';

export type RemoteStudy = {
  studyInstanceUid: string;
  patientName: string;
  patientId: string;
  studyDate: string;
  description: string;
  accessionNumber: string;
  modalities: string[];
  series: number | null;
  instances: number | null;
};

export type ClientOptions = {
  /** How long to wait for the server to start answering a request. */
  timeoutMs?: number;
  /** Further attempts after a network failure, a timeout or a 5xx. */
  retries?: number;
};

const DEFAULTS = { timeoutMs: 30_000, retries: 2 };

/** QIDO-RS SearchForStudies against a remote DICOMweb server (a PACS). */
export async function searchRemoteStudies(source: DicomWebSource, query: RemoteStudyQuery, options: ClientOptions = {}): Promise<RemoteStudy[]> {
  const params = new URLSearchParams({ limit: String(query.limit) });
  const set = (key: string, value: string | undefined) => value && params.set(key, value);
  set('PatientName', query.patientName && (/[*?]/.test(query.patientName) ? query.patientName : `${query.patientName}*`));
  set('PatientID', query.patientId);
  set('AccessionNumber', query.accessionNumber);
  set('StudyDate', query.studyDate);
  set('ModalitiesInStudy', query.modality);
  for (const tag of ['00081030', '00201206', '00201208', '00080061']) params.append('includefield', tag);
  const res = await request(source, `/studies?${params}`, 'application/dicom+json', options);
  const text = await res.text();
  if (res.status === 204 || text.trim() === '') return [];
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch {
    throw new AppError('BAD_GATEWAY', `${hostOf(source)} answered the search with something other than DICOM JSON.`);
  }
  if (!Array.isArray(list)) throw new AppError('BAD_GATEWAY', `${hostOf(source)} answered the search with something other than a list of studies.`);
  return list.flatMap((item: Record<string, { Value?: unknown[] }>) => {
    const first = (tag: string) => item[tag]?.Value?.[0];
    const uid = first('0020000D');
    if (typeof uid !== 'string') return [];
    const name = first('00100010') as { Alphabetic?: string } | string | undefined;
    return [
      {
        studyInstanceUid: uid,
        patientName: typeof name === 'string' ? name : (name?.Alphabetic ?? ''),
        patientId: String(first('00100020') ?? ''),
        studyDate: String(first('00080020') ?? ''),
        description: String(first('00081030') ?? ''),
        accessionNumber: String(first('00080050') ?? ''),
        modalities: (item['00080061']?.Value ?? []).map(String),
        series: toCount(first('00201206')),
        instances: toCount(first('00201208')),
      },
    ];
  });
}

/**
 * WADO-RS RetrieveStudy from a remote server: its instances as files to ingest, streamed part by part
 * from the multipart/related answer (as stored there: `transfer-syntax=*`).
 */
export async function* retrieveRemoteStudy(source: DicomWebSource, studyInstanceUid: string, options: ClientOptions = {}): AsyncGenerator<IncomingFile> {
  const res = await request(source, `/studies/${encodeURIComponent(studyInstanceUid)}`, 'multipart/related; type="application/dicom"; transfer-syntax=*', options);
  if (!res.body) return;
  const boundary = multipartBoundary(res.headers.get('content-type'));
  let n = 0;
  for await (const part of readMultipart(res.body as unknown as AsyncIterable<Uint8Array>, boundary)) {
    n++;
    yield { name: `${studyInstanceUid} #${n}`, body: part.body };
  }
}

async function request(source: DicomWebSource, pathAndQuery: string, accept: string, options: ClientOptions): Promise<Response> {
  const { timeoutMs, retries } = { ...DEFAULTS, ...options };
  const headers: Record<string, string> = { accept };
  if (source.auth.kind === 'basic') headers.authorization = `Basic ${Buffer.from(`${source.auth.user}:${source.auth.password}`).toString('base64')}`;
  if (source.auth.kind === 'bearer') headers.authorization = `Bearer ${source.auth.token}`;
  const host = hostOf(source);
  for (let attempt = 0; ; attempt++) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let failure: AppError;
    try {
      const res = await fetch(`${source.baseUrl}${pathAndQuery}`, { headers, signal: controller.signal, redirect: 'follow' });
      clearTimeout(timer); // the body may take as long as it takes; only the wait for an answer is bounded
      if (res.status === 401 || res.status === 403) {
        throw new AppError('BAD_GATEWAY', `${host} refused the credentials (${res.status}): check the user name and password, or the token.`);
      }
      if (res.status === 404 && pathAndQuery.startsWith('/studies/')) throw new AppError('NOT_FOUND', `${host} does not have that study (any more).`);
      if (res.ok) return res;
      await res.body?.cancel();
      failure = new AppError('BAD_GATEWAY', `${host} answered ${res.status} ${res.statusText}.`);
      if (res.status < 500) throw failure;
    } catch (err) {
      clearTimeout(timer);
      if (err instanceof AppError) throw err;
      failure = controller.signal.aborted
        ? new AppError('BAD_GATEWAY', `${host} did not answer within ${Math.round(timeoutMs / 1000)} s.`)
        : new AppError('BAD_GATEWAY', `${host} cannot be reached (${causeOf(err)}).`);
    }
    if (attempt >= retries) throw failure;
    await sleep(500 * 3 ** attempt);
  }
}

function hostOf(source: DicomWebSource): string {
  return `The PACS at ${new URL(source.baseUrl).host}`;
}

function causeOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (err as Error)?.message ?? 'unknown error';
}

function toCount(value: unknown): number | null {
  const n = Number(value);
  return Number.isInteger(n) ? n : null;
}
