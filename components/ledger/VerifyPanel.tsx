'use client';

import { useEffect, useRef, useState } from 'react';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import type { VerifyProgress, VerifyReport } from '@/lib/ledger/verify-ledger';

const PHASE_LABEL: Record<VerifyProgress['phase'], string> = {
  entries: 'Re-hashing entries',
  nodes: 'Checking the Merkle tree',
  checkpoints: 'Checking signed checkpoints',
};

/** Runs the server's full verification and shows its progress (server-sent events) and verdict. */
export function VerifyPanel() {
  const [progress, setProgress] = useState<VerifyProgress | null>(null);
  const [report, setReport] = useState<VerifyReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const source = useRef<EventSource | null>(null);

  useEffect(() => () => source.current?.close(), []);

  function start() {
    setReport(null);
    setError(null);
    setProgress({ phase: 'entries', done: 0, total: 0 });
    const events = new EventSource('/api/ledger/verify');
    source.current = events;
    events.addEventListener('progress', (e) => setProgress(JSON.parse((e as MessageEvent).data)));
    events.addEventListener('result', (e) => {
      setReport(JSON.parse((e as MessageEvent).data));
      setProgress(null);
      events.close();
    });
    const fail = (message: string) => {
      setError(message);
      setProgress(null);
      events.close();
    };
    events.addEventListener('error', (e) => {
      const data = (e as MessageEvent).data;
      fail(data ? (JSON.parse(data) as { message: string }).message : 'The connection to the server was lost.');
    });
  }

  const running = progress !== null;
  const percent = progress && progress.total > 0 ? Math.round((100 * progress.done) / progress.total) : 0;
  return (
    <div className="space-y-3" data-testid="verify-panel">
      <Button onClick={start} disabled={running}>
        {running ? 'Verifying…' : 'Verify now'}
      </Button>
      {progress && (
        <div>
          <div className="mb-1 flex justify-between text-xs text-slate-600 dark:text-slate-400">
            <span>{PHASE_LABEL[progress.phase]}</span>
            <span>
              {progress.done} / {progress.total}
            </span>
          </div>
          <div role="progressbar" aria-valuenow={percent} aria-valuemin={0} aria-valuemax={100} aria-label={PHASE_LABEL[progress.phase]} className="h-2 overflow-hidden rounded bg-slate-200 dark:bg-slate-800">
            <div className="h-full bg-brand-600 transition-all" style={{ width: `${percent}%` }} />
          </div>
        </div>
      )}
      {report?.ok && (
        <Alert tone="success" title="The ledger verifies">
          {report.entries} entries re-hashed, {report.nodes} Merkle nodes and {report.checkpoints} signed checkpoints checked.
          <span className="mt-1 block break-all font-mono text-xs">root {report.root}</span>
        </Alert>
      )}
      {report && !report.ok && (
        <Alert tone="error" title="The ledger does NOT verify">
          {report.failure.seq !== undefined && <>Entry {report.failure.seq}: </>}
          {report.failure.reason}
        </Alert>
      )}
      {error && <Alert tone="error">{error}</Alert>}
    </div>
  );
}
