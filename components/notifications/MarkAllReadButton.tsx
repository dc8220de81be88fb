'use client';

import { useTransition } from 'react';
import { Button } from '@/components/ui/Button';

export function MarkAllReadButton({ action }: { action: (input: { ids?: string[] }) => Promise<unknown> }) {
  const [pending, start] = useTransition();
  return (
    <Button variant="secondary" disabled={pending} onClick={() => start(async () => void (await action({})))}>
      {pending ? 'Marking…' : 'Mark all read'}
    </Button>
  );
}
