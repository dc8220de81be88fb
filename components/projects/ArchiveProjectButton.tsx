'use client';

import { Button } from '@/components/ui/Button';
import { useActionRunner } from '@/components/ui/use-action-runner';
import type { Action } from '@/lib/http/action-result';

/** Archives the project (after a confirmation) or restores it. */
export function ArchiveProjectButton({ projectId, archived, action }: { projectId: string; archived: boolean; action: Action<{ projectId: string; archived: boolean }, { archived: boolean }> }) {
  const { busy, message, run } = useActionRunner();
  const toggle = () => {
    if (!archived && !window.confirm('Archive this project? Its readers and reviewers stop seeing it, and nothing in it can change until it is restored. Nothing is deleted.')) return;
    void run(() => action({ projectId, archived: !archived }));
  };
  return (
    <span className="inline-flex items-center gap-2">
      <Button variant={archived ? 'primary' : 'secondary'} disabled={busy} onClick={toggle}>
        {archived ? 'Restore project' : 'Archive project'}
      </Button>
      {message?.tone === 'error' && (
        <span className="text-xs text-red-600" role="alert">
          {message.text}
        </span>
      )}
    </span>
  );
}
