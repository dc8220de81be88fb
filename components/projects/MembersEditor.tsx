'use client';

import { useState } from 'react';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { useActionRunner } from '@/components/ui/use-action-runner';
import type { Action } from '@/lib/http/action-result';
import { MemberPicker, type MemberOption } from './MemberPicker';

type Members = { readers: string[]; reviewers: string[] };

export function MembersEditor({
  projectId,
  radiologists,
  initial,
  action,
}: {
  projectId: string;
  radiologists: MemberOption[];
  initial: Members;
  action: Action<Members & { projectId: string }, Members>;
}) {
  const [readers, setReaders] = useState(initial.readers);
  const [reviewers, setReviewers] = useState(initial.reviewers);
  const { busy, message, run } = useActionRunner();
  return (
    <div className="space-y-4">
      {message && <Alert tone={message.tone}>{message.text}</Alert>}
      <MemberPicker legend="Readers" help="Label the studies, each on their own copy." options={radiologists} value={readers} onChange={setReaders} />
      <MemberPicker legend="Reviewers" help="Accept labels or ask for changes." options={radiologists} value={reviewers} onChange={setReviewers} />
      <Button variant="secondary" disabled={busy} onClick={() => run(() => action({ projectId, readers, reviewers }), 'Members saved.')}>
        {busy ? 'Saving…' : 'Save members'}
      </Button>
    </div>
  );
}
