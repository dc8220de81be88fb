'use client';

import { useCallback, useEffect, useRef, useState } from 'react';

export type UploadOutcome = { name?: string; status: 'stored' | 'duplicate' | 'rejected'; reason?: string };
export type UploadItem = {
  id: number;
  file: File;
  name: string;
  loaded: number;
  status: 'queued' | 'uploading' | 'done' | 'failed';
  outcomes: UploadOutcome[];
  error?: string;
  attempts: number;
  /** The resumable upload of a large file, once started: retries go on from where it stopped. */
  uploadId?: string;
};

const CONCURRENCY = 3;
/** Files from this size on are sent in resumable chunks (zip archives, mostly). */
const RESUMABLE_FROM = 8 * 1024 * 1024;
const CHUNK_BYTES = 8 * 1024 * 1024;
const MAX_ATTEMPTS = 4;
const RETRY_DELAYS_MS = [1_000, 3_000, 9_000];

class UploadError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/**
 * Uploads files a few at a time, each with its own progress: small ones whole to /api/ingest, large
 * ones in chunks to /api/uploads, which resume from the last byte the server holds. A dropped
 * connection (or a busy server) is retried with backoff, then left for "Retry": storing is
 * idempotent, so sending a file again never stores it twice.
 */
export function useUploadQueue() {
  const [items, setItems] = useState<UploadItem[]>([]);
  const nextId = useRef(1);
  const running = useRef(new Set<number>());

  const patch = useCallback((id: number, change: Partial<UploadItem> | ((item: UploadItem) => Partial<UploadItem>)) => {
    setItems((all) => all.map((item) => (item.id === id ? { ...item, ...(typeof change === 'function' ? change(item) : change) } : item)));
  }, []);

  const upload = useCallback(
    async (item: UploadItem) => {
      running.current.add(item.id);
      patch(item.id, { status: 'uploading', loaded: 0, error: undefined });
      const resumable = { uploadId: item.uploadId };
      const remember = (uploadId: string) => {
        resumable.uploadId = uploadId;
        patch(item.id, { uploadId });
      };
      for (let attempt = item.attempts; ; attempt++) {
        try {
          const onProgress = (loaded: number) => patch(item.id, { loaded });
          const outcomes = item.file.size >= RESUMABLE_FROM ? await sendInChunks(item, resumable.uploadId, remember, onProgress) : await send(item, onProgress);
          patch(item.id, { status: 'done', outcomes, loaded: item.file.size, attempts: attempt + 1 });
          break;
        } catch (err) {
          const retryable = err instanceof UploadError && err.retryable;
          if (!retryable || attempt + 1 >= MAX_ATTEMPTS) {
            patch(item.id, { status: 'failed', error: (err as Error).message, attempts: attempt + 1 });
            break;
          }
          patch(item.id, { error: `${(err as Error).message}; retrying…` });
          await new Promise((r) => setTimeout(r, RETRY_DELAYS_MS[attempt] ?? 9_000));
        }
      }
      running.current.delete(item.id);
    },
    [patch],
  );

  // Start queued items while fewer than CONCURRENCY run.
  useEffect(() => {
    const free = CONCURRENCY - running.current.size;
    if (free <= 0) return;
    for (const item of items.filter((i) => i.status === 'queued' && !running.current.has(i.id)).slice(0, free)) void upload(item);
  }, [items, upload]);

  const add = useCallback((files: File[]) => {
    const fresh = files
      .filter((f) => !f.name.startsWith('.')) // .DS_Store and friends from folders
      .map((file) => ({
        id: nextId.current++,
        file,
        name: (file as File & { webkitRelativePath?: string }).webkitRelativePath || file.name,
        loaded: 0,
        status: 'queued' as const,
        outcomes: [],
        attempts: 0,
      }));
    setItems((all) => [...all, ...fresh]);
  }, []);

  const retryFailed = useCallback(() => {
    setItems((all) => all.map((i) => (i.status === 'failed' ? { ...i, status: 'queued', attempts: 0, error: undefined } : i)));
  }, []);

  const clearDone = useCallback(() => setItems((all) => all.filter((i) => i.status !== 'done')), []);

  return { items, add, retryFailed, clearDone };
}

/** A large file in chunks: resumes a started upload from the server's offset, else starts one. */
async function sendInChunks(item: UploadItem, uploadId: string | undefined, remember: (uploadId: string) => void, onProgress: (loaded: number) => void): Promise<UploadOutcome[]> {
  let offset = 0;
  if (uploadId) {
    const res = await request(`/api/uploads/${uploadId}`);
    if (res.status === 404) uploadId = undefined; // expired or finished: start over
    else offset = (await json<{ offset: number }>(res)).offset;
  }
  if (!uploadId) {
    const type = isZip(item.file) ? 'application/zip' : 'application/dicom';
    const res = await request('/api/uploads', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: item.name, size: item.file.size, type }) });
    uploadId = (await json<{ id: string }>(res)).id;
    remember(uploadId);
  }
  while (offset < item.file.size) {
    const start = offset;
    offset = (await sendChunk(uploadId, start, item.file.slice(start, start + CHUNK_BYTES), (loaded) => onProgress(start + loaded))).offset;
    onProgress(offset);
  }
  const done = await request(`/api/uploads/${uploadId}/complete`, { method: 'POST' });
  return (await json<{ outcomes: UploadOutcome[] }>(done)).outcomes;
}

/** fetch, with a dropped connection turned into a retryable UploadError. */
async function request(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch {
    throw new UploadError('The connection dropped', true);
  }
}

async function json<T>(res: Response): Promise<T> {
  const body = (await res.json().catch(() => ({}))) as T & { message?: string };
  // 409: the server holds another offset than the chunk assumed; the retry asks for it.
  if (!res.ok) throw new UploadError(body.message ?? `The server answered ${res.status}.`, res.status === 409 || res.status === 429 || res.status >= 500);
  return body;
}

function sendChunk(uploadId: string, offset: number, chunk: Blob, onProgress: (loaded: number) => void): Promise<{ offset: number }> {
  return xhrUpload(`/api/uploads/${uploadId}`, 'PATCH', { 'content-type': 'application/offset+octet-stream', 'upload-offset': String(offset) }, chunk, onProgress);
}

function isZip(file: File): boolean {
  return /\.zip$/i.test(file.name) || file.type.includes('zip');
}

async function send(item: UploadItem, onProgress: (loaded: number) => void): Promise<UploadOutcome[]> {
  const headers = { 'content-type': isZip(item.file) ? 'application/zip' : 'application/dicom', 'x-file-name': encodeURIComponent(item.name) };
  return (await xhrUpload<{ outcomes: UploadOutcome[] }>('/api/ingest', 'POST', headers, item.file, onProgress)).outcomes;
}

/**
 * Sends a body with upload progress (fetch has none) and resolves with the JSON of a 200 answer.
 * Failures are UploadErrors, retryable when trying again may help: a dropped connection, a busy or
 * failing server, an offset the server disagrees with (409).
 */
function xhrUpload<T>(url: string, method: string, headers: Record<string, string>, body: Blob, onProgress: (loaded: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () => {
      let answer: (T & { message?: string }) | null = null;
      try {
        answer = JSON.parse(xhr.responseText) as T & { message?: string };
      } catch {
        // not JSON (a proxy's error page)
      }
      if (xhr.status === 200 && answer) resolve(answer);
      else reject(new UploadError(answer?.message ?? `The server answered ${xhr.status}.`, xhr.status === 409 || xhr.status === 429 || xhr.status >= 500));
    };
    xhr.onerror = () => reject(new UploadError('The connection dropped', true));
    xhr.ontimeout = () => reject(new UploadError('The server did not answer in time', true));
    xhr.send(body);
  });
}
