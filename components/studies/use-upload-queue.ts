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
};

const CONCURRENCY = 3;
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
 * Uploads files to /api/ingest a few at a time, each with its own progress. A dropped connection (or
 * a busy server) is retried with backoff, then left for "Retry": storing is idempotent, so sending a
 * file again never stores it twice.
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
      for (let attempt = item.attempts; ; attempt++) {
        try {
          const outcomes = await send(item, (loaded) => patch(item.id, { loaded }));
          patch(item.id, { status: 'done', outcomes, loaded: item.file.size, attempts: attempt + 1 });
          break;
        } catch (err) {
          const retryable = err instanceof UploadError && err.retryable;
          if (!retryable || attempt + 1 >= MAX_ATTEMPTS) {
            patch(item.id, { status: 'failed', error: (err as Error).message, attempts: attempt + 1 });
            break;
          }
          patch(item.id, { error: `${(err as Error).message}; retrying…`, loaded: 0 });
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

function send(item: UploadItem, onProgress: (loaded: number) => void): Promise<UploadOutcome[]> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/ingest');
    const zip = /\.zip$/i.test(item.file.name) || item.file.type.includes('zip');
    xhr.setRequestHeader('content-type', zip ? 'application/zip' : 'application/dicom');
    xhr.setRequestHeader('x-file-name', encodeURIComponent(item.name));
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () => {
      let body: { outcomes?: UploadOutcome[]; message?: string } = {};
      try {
        body = JSON.parse(xhr.responseText) as typeof body;
      } catch {
        // not JSON (a proxy's error page)
      }
      if (xhr.status === 200 && body.outcomes) resolve(body.outcomes);
      else reject(new UploadError(body.message ?? `The server answered ${xhr.status}.`, xhr.status === 429 || xhr.status >= 500));
    };
    xhr.onerror = () => reject(new UploadError('The connection dropped', true));
    xhr.ontimeout = () => reject(new UploadError('The server did not answer in time', true));
    xhr.send(item.file);
  });
}
