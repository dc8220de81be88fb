'use client';

import { useRouter } from 'next/navigation';
import { Button } from '@/components/ui/Button';
import { useActionRunner } from '@/components/ui/use-action-runner';
import type { Action } from '@/lib/http/action-result';

export function SignCheckpointButton({ action }: { action: Action<Record<string, never>, unknown> }) {
  const router = useRouter();
  const { busy, message, run } = useActionRunner();
  return (
    <div className="text-right">
      <Button
        variant="secondary"
        disabled={busy}
        onClick={async () => {
          if (await run(() => action({}))) router.refresh();
        }}
      >
        {busy ? 'Signing…' : 'Sign a checkpoint now'}
      </Button>
      {message?.tone === 'error' && <p className="mt-1 text-xs text-red-600">{message.text}</p>}
    </div>
  );
}
