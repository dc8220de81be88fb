'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { ProgressBar } from '@/components/projects/ProgressBar';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';

type Outcome = { tone: 'success' | 'error'; title: string; problems: string[] };

const fileInputClass =
  'block w-full text-sm text-slate-700 file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm dark:text-slate-300 dark:file:border-slate-600 dark:file:bg-slate-800';

/**
 * Adds a model to the registry: its manifest.json and .onnx file, uploaded with a progress bar. The
 * server checks it as it checks the shipped models (SHA-256, graph against manifest, a dummy run)
 * and says exactly what is wrong when it is refused.
 */
export function ModelUploadForm() {
  const router = useRouter();
  const [sent, setSent] = useState<{ loaded: number; total: number } | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    setOutcome(null);
    setSent({ loaded: 0, total: (data.get('model') as File | null)?.size ?? 0 });
    const { status, body } = await post(data, (loaded, total) => setSent({ loaded, total }));
    setSent(null);
    if (status === 201) {
      form.reset();
      setOutcome({ tone: 'success', title: `Added ${String(body.name)}: it passed every check and can pre-annotate now.`, problems: [] });
      router.refresh();
    } else {
      const problems = Array.isArray(body.problems) ? (body.problems as string[]) : [];
      setOutcome({ tone: 'error', title: problems.length ? 'The model was refused:' : String(body.message ?? `The server answered ${status}.`), problems });
    }
  }

  return (
    <form onSubmit={submit} className="space-y-3" aria-label="Add a model">
      <div className="grid gap-3 md:grid-cols-2">
        <label className="block text-sm">
          <span className="mb-1 block font-medium">manifest.json</span>
          <input name="manifest" type="file" accept=".json,application/json" required className={fileInputClass} />
        </label>
        <label className="block text-sm">
          <span className="mb-1 block font-medium">Model (.onnx)</span>
          <input name="model" type="file" accept=".onnx" required className={fileInputClass} />
        </label>
      </div>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={sent !== null}>
          {sent ? 'Checking…' : 'Add model'}
        </Button>
        {sent && (
          <ProgressBar
            className="w-72"
            done={sent.loaded}
            total={sent.total}
            label={sent.loaded < sent.total ? `Uploading: ${mib(sent.loaded)} of ${mib(sent.total)} MiB` : 'Uploaded: checking the hash, the graph and a dummy run…'}
          />
        )}
      </div>
      {outcome && (
        <Alert tone={outcome.tone} title={outcome.title}>
          {outcome.problems.length > 0 && (
            <ul className="list-disc space-y-0.5 pl-5">
              {outcome.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
        </Alert>
      )}
    </form>
  );
}

const mib = (bytes: number) => (bytes / 1024 ** 2).toFixed(1);

/** POST with upload progress (fetch has none). */
function post(data: FormData, onProgress: (loaded: number, total: number) => void): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/models');
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.total);
    xhr.onload = () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(xhr.responseText) as Record<string, unknown>;
      } catch {
        // not JSON (a proxy's error page)
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => resolve({ status: 0, body: { message: 'The connection dropped before the server answered.' } });
    xhr.send(data);
  });
}
