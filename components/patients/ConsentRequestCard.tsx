'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Button } from '@/components/ui/Button';
import { Card } from '@/components/ui/Card';

/**
 * A request to use one of the patient's studies, in plain words: who asks, for what, what is shared
 * and where, with Approve and Decline. The texts come from the page.
 */
export function ConsentRequestCard({ id, headline, projectPurpose, requestedBy, where }: { id: string; headline: string; projectPurpose: string; requestedBy: string; where: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function answer(value: 'approve' | 'decline') {
    setBusy(true);
    setError(null);
    const res = await fetch(`/api/me/requests/${id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ answer: value }) });
    setBusy(false);
    if (!res.ok) return setError(((await res.json().catch(() => ({}))) as { message?: string }).message ?? 'Your answer could not be saved. Try again in a minute.');
    router.refresh();
  }

  return (
    <li data-testid="consent-request">
      <Card>
        <p className="font-medium">{headline}</p>
        {projectPurpose && <p className="mt-1 text-sm text-slate-600 italic dark:text-slate-400">“{projectPurpose}”</p>}
        <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
          <dt className="text-slate-500">Asked by</dt>
          <dd>{requestedBy}</dd>
          <dt className="text-slate-500">Shared</dt>
          <dd>De-identified copies of the images and their labels: never your name, birth date or numbers that identify you.</dd>
          <dt className="text-slate-500">Where</dt>
          <dd>{where}</dd>
        </dl>
        <div className="mt-3 flex gap-2">
          <Button onClick={() => void answer('approve')} disabled={busy}>
            Approve
          </Button>
          <Button onClick={() => void answer('decline')} disabled={busy} variant="secondary">
            Decline
          </Button>
        </div>
        {error && (
          <p className="mt-2 text-sm text-red-600 dark:text-red-400" role="alert">
            {error}
          </p>
        )}
      </Card>
    </li>
  );
}
