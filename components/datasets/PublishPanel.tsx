'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { ProgressBar } from '@/components/projects/ProgressBar';
import { callApi, useApiCall } from '@/components/ui/use-api-call';
import type { JobView } from '@/lib/jobs/job-queue';

const POLL_MS = 1000;

/**
 * Publishes the next version and follows its job: a progress bar with what it is doing (de-identifying,
 * encrypting, adding to IPFS, recording in the ledger) until it is published or fails, then the page refreshes.
 */
export function PublishPanel({ datasetId, runningJobId, eligible, encrypted }: { datasetId: string; runningJobId: string | null; eligible: number; encrypted: boolean }) {
  const router = useRouter();
  const [jobId, setJobId] = useState<string | null>(runningJobId);
  const [job, setJob] = useState<JobView | null>(null);
  const { busy, error, act } = useApiCall();

  useEffect(() => {
    if (!jobId) return;
    let stopped = false;
    const poll = async () => {
      const view = await callApi<JobView>(`/api/jobs/${jobId}`).catch(() => null);
      if (stopped) return;
      if (view) setJob(view);
      if (view && !['queued', 'running'].includes(view.status)) {
        setJobId(null);
        router.refresh();
        return;
      }
      setTimeout(poll, POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
    };
  }, [jobId, router]);

  const publish = () =>
    act(async () => {
      const started = await callApi<{ versionId: string; jobId: string }>(`/api/datasets/${datasetId}/versions`, { method: 'POST' });
      setJob(null);
      setJobId(started.jobId);
    });
  const cancel = () => act(async () => void (await callApi(`/api/jobs/${jobId}/cancel`, { method: 'POST' })));

  const running = jobId !== null;
  return (
    <div className="space-y-3" data-testid="publish-panel">
      {error && <Alert tone="error">{error}</Alert>}
      {job?.status === 'failed' && !running && <Alert tone="error">The last publication failed: {job.error}</Alert>}
      {job?.status === 'succeeded' && !running && <Alert tone="success">{job.message}.</Alert>}
      {running ? (
        <div className="space-y-2">
          <ProgressBar done={job?.done ?? 0} total={job?.total || 1000} label={job?.message || 'Waiting to start'} />
          <Button variant="secondary" onClick={cancel} disabled={busy}>
            Cancel
          </Button>
        </div>
      ) : (
        <div className="flex flex-wrap items-center gap-3">
          <Button onClick={publish} disabled={busy || eligible === 0}>
            {busy ? 'Starting…' : 'Publish a new version'}
          </Button>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            {eligible === 0
              ? 'Nothing is eligible yet: see why each study is left out below.'
              : `${eligible} ${eligible === 1 ? 'study' : 'studies'}, de-identified${encrypted ? ' and encrypted' : ', unencrypted (open dataset)'}, added to IPFS and recorded in the ledger. Consent is checked again as it is recorded.`}
          </p>
        </div>
      )}
    </div>
  );
}
