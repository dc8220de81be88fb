'use client';

import { useActionRunner } from '@/components/ui/use-action-runner';
import type { Action } from '@/lib/http/action-result';

export function RemoveStudyButton({ projectId, studyId, action }: { projectId: string; studyId: string; action: Action<{ projectId: string; studyId: string }, unknown> }) {
  const { busy, message, run } = useActionRunner();
  return (
    <span className="inline-flex items-center gap-2">
      <button type="button" disabled={busy} onClick={() => run(() => action({ projectId, studyId }))} className="text-xs text-red-700 hover:underline disabled:opacity-50 dark:text-red-400">
        Remove
      </button>
      {message?.tone === 'error' && <span className="text-xs text-red-600" role="alert">{message.text}</span>}
    </span>
  );
}
