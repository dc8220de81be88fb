'use client';

import { useRef, useState } from 'react';
import { ProgressBar } from '@/components/projects/ProgressBar';
import { Button } from '@/components/ui/Button';
import { formatBytes } from '@/lib/format/format-bytes.client';
import { ARCHIVE_BYTES_HEADER } from '@/lib/studies/archive-bytes-header.client';

type State = { kind: 'idle' } | { kind: 'downloading'; done: number; total: number } | { kind: 'done'; filename: string } | { kind: 'failed'; message: string };

/**
 * Downloads a study's zip (`href`) with a progress bar: the server streams it, with its exact length
 * when known ahead; the browser keeps the received parts (Blob storage spills large ones to disk)
 * and saves them as one file at the end. Cancel, or a dropped connection, leaves nothing half-saved.
 */
export function DownloadStudyButton({ href, label }: { href: string; label: string }) {
  const [state, setState] = useState<State>({ kind: 'idle' });
  const abort = useRef<AbortController | null>(null);

  async function start() {
    const controller = new AbortController();
    abort.current = controller;
    setState({ kind: 'downloading', done: 0, total: 0 });
    try {
      const res = await fetch(href, { signal: controller.signal });
      if (!res.ok || !res.body) {
        const body = (await res.json().catch(() => null)) as { message?: string } | null;
        throw new Error(body?.message ?? `The download failed (${res.status}).`);
      }
      const total = Number(res.headers.get(ARCHIVE_BYTES_HEADER) ?? res.headers.get('content-length')) || 0;
      const filename = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'study.zip';
      const reader = res.body.getReader();
      const parts: BlobPart[] = [];
      let done = 0;
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        parts.push(chunk.value);
        done += chunk.value.length;
        setState({ kind: 'downloading', done, total });
      }
      if (total && done !== total) throw new Error('The download was cut short. Try again.');
      const url = URL.createObjectURL(new Blob(parts, { type: 'application/zip' }));
      const link = Object.assign(document.createElement('a'), { href: url, download: filename });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setState({ kind: 'done', filename });
    } catch (err) {
      setState(controller.signal.aborted ? { kind: 'idle' } : { kind: 'failed', message: err instanceof Error && err.message !== 'Failed to fetch' ? err.message : 'The connection dropped. Try again.' });
    } finally {
      abort.current = null;
    }
  }

  if (state.kind === 'downloading') {
    return (
      <div className="flex items-center gap-3" data-testid="download-progress">
        <ProgressBar
          className="min-w-40 flex-1"
          done={state.done}
          total={state.total}
          label={state.total ? `${formatBytes(state.done)} of ${formatBytes(state.total)}` : `${formatBytes(state.done)} received`}
        />
        <Button variant="ghost" onClick={() => abort.current?.abort()}>
          Cancel
        </Button>
      </div>
    );
  }
  return (
    <div className="flex flex-wrap items-center gap-2">
      <Button variant="secondary" onClick={start}>
        {label}
      </Button>
      {state.kind === 'done' && (
        <span role="status" className="text-xs text-emerald-700 dark:text-emerald-400">
          Saved as {state.filename}
        </span>
      )}
      {state.kind === 'failed' && (
        <span role="alert" className="text-xs text-red-700 dark:text-red-400">
          {state.message}
        </span>
      )}
    </div>
  );
}
