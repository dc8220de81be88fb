'use client';

import { useEffect, useRef, useState } from 'react';
import { Badge } from '@/components/ui/Badge';
import { Button } from '@/components/ui/Button';
import { inputClass } from '@/components/ui/TextField';
import type { JobView } from '@/lib/jobs/job-queue';
import { ProgressBar } from './ProgressBar';

export type ModelChoice = { name: string; title: string; modalities: string[] };

const TONES = { queued: 'neutral', running: 'brand', succeeded: 'success', failed: 'danger', cancelled: 'warning' } as const;

/**
 * Pre-annotation on the project page: run a model over the project's series, and watch each job
 * (queued, slices done, ETA, result or why it failed) live over server-sent events; cancel any.
 */
export function PreannotationPanel({ projectId, models, initialJobs, seriesLabels }: { projectId: string; models: ModelChoice[]; initialJobs: JobView[]; seriesLabels: Record<string, string> }) {
  const [jobs, setJobs] = useState(initialJobs);
  const [model, setModel] = useState(models[0]?.name ?? '');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: 'error' | 'info'; text: string } | null>(null);
  const source = useRef<EventSource | null>(null);

  const watch = () => {
    source.current?.close();
    const events = new EventSource(`/api/projects/${projectId}/preannotate/events`);
    source.current = events;
    events.addEventListener('jobs', (e) => setJobs(JSON.parse((e as MessageEvent).data) as JobView[]));
  };
  useEffect(() => {
    watch();
    return () => source.current?.close();
    // Once per project: the stream reconnects by itself.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [projectId]);

  async function start() {
    setBusy(true);
    setMessage(null);
    try {
      const res = await fetch(`/api/projects/${projectId}/preannotate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ modelName: model }) });
      const body = (await res.json()) as { jobs?: JobView[]; skipped?: number; message?: string };
      if (!res.ok) return setMessage({ tone: 'error', text: body.message ?? `HTTP ${res.status}` });
      const queued = body.jobs?.length ?? 0;
      setMessage({ tone: 'info', text: queued ? `Queued ${queued} ${queued === 1 ? 'series' : 'series'}${body.skipped ? ` (${body.skipped} already done or waiting)` : ''}.` : `Nothing to do: every series this model applies to is done or waiting (${body.skipped ?? 0}).` });
      watch();
    } finally {
      setBusy(false);
    }
  }

  async function cancel(id: string) {
    const res = await fetch(`/api/jobs/${id}/cancel`, { method: 'POST' });
    if (res.ok) {
      const job = (await res.json()) as JobView;
      setJobs((all) => all.map((j) => (j.id === id ? job : j)));
    }
  }

  if (models.length === 0) {
    return <p className="text-sm text-slate-500">No model in the registry can run on this project&apos;s modalities. See Models.</p>;
  }
  return (
    <div className="space-y-3" data-testid="preannotation">
      <div className="flex flex-wrap items-center gap-2">
        <div className="w-80">
          <select aria-label="Model" value={model} onChange={(e) => setModel(e.target.value)} className={inputClass}>
            {models.map((m) => (
              <option key={m.name} value={m.name}>
                {m.title} ({m.modalities.join(', ')})
              </option>
            ))}
          </select>
        </div>
        <Button onClick={start} disabled={busy || !model}>
          {busy ? 'Queuing…' : 'Pre-annotate'}
        </Button>
      </div>
      <p className="text-xs text-slate-500">Every series of the project the model applies to that it has not pre-annotated yet. Readers start from the proposals and correct them.</p>
      {message && (
        <p role={message.tone === 'error' ? 'alert' : 'status'} className={message.tone === 'error' ? 'text-sm text-red-600' : 'text-sm text-slate-600 dark:text-slate-300'}>
          {message.text}
        </p>
      )}
      {jobs.length > 0 && (
        <ul className="divide-y divide-slate-100 text-sm dark:divide-slate-800" aria-label="Pre-annotation jobs">
          {jobs.map((j) => {
            const params = j.params as { seriesInstanceUid?: string; modelName?: string };
            const active = j.status === 'queued' || j.status === 'running';
            return (
              <li key={j.id} className="py-2" data-testid="job" data-status={j.status}>
                <div className="flex items-center justify-between gap-3">
                  <span className="truncate">
                    {seriesLabels[params.seriesInstanceUid ?? ''] ?? params.seriesInstanceUid} <span className="text-xs text-slate-500">· {params.modelName}</span>
                  </span>
                  <span className="flex shrink-0 items-center gap-2">
                    <Badge tone={TONES[j.status]}>{j.status}</Badge>
                    {active && (
                      <button type="button" onClick={() => void cancel(j.id)} className="text-xs text-red-700 hover:underline dark:text-red-400">
                        Cancel
                      </button>
                    )}
                  </span>
                </div>
                {j.status === 'running' && (
                  <ProgressBar className="mt-1" done={j.done} total={j.total} label={`${j.message}${j.etaSeconds !== null ? ` · about ${j.etaSeconds} s left` : ''}`} />
                )}
                {j.status !== 'running' && <p className="mt-0.5 text-xs text-slate-500">{j.error ?? j.message}</p>}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
