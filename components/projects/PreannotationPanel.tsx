'use client';

import { useEffect, useRef, useState } from 'react';
import { Badge } from '@/components/ui/Badge';
import { Button } from '@/components/ui/Button';
import { inputClass } from '@/components/ui/TextField';
import type { ModelChoice } from '@/lib/inference/model-choices';
import type { JobView } from '@/lib/jobs/job-queue';
import { ProgressBar } from './ProgressBar';

const TONES = { queued: 'neutral', running: 'brand', succeeded: 'success', failed: 'danger', cancelled: 'warning' } as const;

type Props = { projectId: string; models: ModelChoice[]; attached: string | null; archived: boolean; initialJobs: JobView[]; seriesLabels: Record<string, string> };

/**
 * Pre-annotation on the project page: the model attached to the project (it pre-annotates studies
 * as they join), running it over the studies already there, and each job (queued, slices done, ETA,
 * result or why it failed) live over server-sent events; cancel any.
 */
export function PreannotationPanel({ projectId, models, attached: initialAttached, archived, initialJobs, seriesLabels }: Props) {
  const [jobs, setJobs] = useState(initialJobs);
  const [attached, setAttached] = useState(initialAttached);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: 'error' | 'info'; text: string } | null>(null);
  const source = useRef<EventSource | null>(null);
  const title = (name: string | null) => models.find((m) => m.name === name)?.title ?? name;

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

  async function send(url: string, method: string, json: unknown): Promise<Record<string, unknown> | null> {
    setBusy(true);
    setMessage(null);
    try {
      const res = await fetch(url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) });
      const body = (await res.json()) as Record<string, unknown>;
      if (res.ok) return body;
      setMessage({ tone: 'error', text: String(body.message ?? `HTTP ${res.status}`) });
      return null;
    } finally {
      setBusy(false);
    }
  }

  async function attach(modelName: string | null) {
    const body = await send(`/api/projects/${projectId}`, 'PATCH', { modelName });
    if (!body) return;
    setAttached(modelName);
    setMessage({ tone: 'info', text: modelName ? `Attached ${title(modelName)}: studies added from now on are pre-annotated by it.` : 'No model attached: new studies are not pre-annotated.' });
  }

  async function start() {
    const body = (await send(`/api/projects/${projectId}/preannotate`, 'POST', {})) as { jobs?: JobView[]; skipped?: number } | null;
    if (!body) return;
    const queued = body.jobs?.length ?? 0;
    setMessage({ tone: 'info', text: queued ? `Queued ${queued} series${body.skipped ? ` (${body.skipped} already done or waiting)` : ''}.` : `Nothing to do: every series this model applies to is done or waiting (${body.skipped ?? 0}).` });
    watch();
  }

  async function cancel(id: string) {
    const res = await fetch(`/api/jobs/${id}/cancel`, { method: 'POST' });
    if (res.ok) {
      const job = (await res.json()) as JobView;
      setJobs((all) => all.map((j) => (j.id === id ? job : j)));
    }
  }

  if (models.length === 0 && !attached) {
    return <p className="text-sm text-slate-500">No model in the registry can run on this project&apos;s modalities. Add one on the Models page.</p>;
  }
  return (
    <div className="space-y-3" data-testid="preannotation">
      <div className="flex flex-wrap items-center gap-2">
        <div className="w-80">
          <select aria-label="Model" value={attached ?? ''} disabled={busy || archived} onChange={(e) => void attach(e.target.value || null)} className={inputClass}>
            <option value="">No model attached</option>
            {attached && !models.some((m) => m.name === attached) && <option value={attached}>{attached} (cannot run now: see Models)</option>}
            {models.map((m) => (
              <option key={m.name} value={m.name}>
                {m.title} ({m.task}, {m.modalities.join(', ')})
              </option>
            ))}
          </select>
        </div>
        <Button onClick={start} disabled={busy || archived || !attached}>
          {busy ? 'Working…' : 'Pre-annotate'}
        </Button>
      </div>
      <p className="text-xs text-slate-500">
        {attached
          ? 'The attached model pre-annotates studies as they join the project. Pre-annotate runs it over every series already here that it has not done yet. Readers start from the proposals and correct them.'
          : 'Attach a model to pre-annotate the studies: readers then start from its proposals and correct them.'}
      </p>
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
