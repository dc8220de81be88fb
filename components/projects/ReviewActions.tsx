'use client';

import { useState } from 'react';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { inputClass } from '@/components/ui/TextField';
import { useActionRunner } from '@/components/ui/use-action-runner';
import type { Action } from '@/lib/http/action-result';

type Ids = { annotationId: string; projectId: string; studyId: string };
type Review = { decision: 'accept' | 'request_changes'; comment?: string };

/** A reviewer's decision on one reader's submitted label. */
export function ReviewActions({
  ids,
  status,
  readerName,
  startAction,
  reviewAction,
}: {
  ids: Ids;
  status: string;
  readerName: string;
  startAction: Action<Ids, { status: string }>;
  reviewAction: Action<Ids & { review: Review }, { status: string }>;
}) {
  const [asking, setAsking] = useState(false);
  const [comment, setComment] = useState('');
  const { busy, message, fields, run } = useActionRunner();
  return (
    <div className="space-y-2" aria-label={`Review ${readerName}`}>
      {message && <Alert tone={message.tone}>{message.text}</Alert>}
      <div className="flex flex-wrap gap-2">
        {status === 'submitted' && (
          <Button variant="secondary" disabled={busy} onClick={() => run(() => startAction(ids), 'In review.')}>
            Start review
          </Button>
        )}
        <Button disabled={busy} onClick={() => run(() => reviewAction({ ...ids, review: { decision: 'accept' } }), `Accepted ${readerName}'s labels.`)}>
          Accept
        </Button>
        <Button variant="danger" disabled={busy} onClick={() => setAsking((a) => !a)}>
          Request changes
        </Button>
      </div>
      {asking && (
        <div className="space-y-2">
          <label htmlFor={`changes-${ids.annotationId}`} className="block text-sm font-medium">
            What should {readerName} change?
          </label>
          <textarea id={`changes-${ids.annotationId}`} rows={3} value={comment} onChange={(e) => setComment(e.target.value)} className={inputClass} />
          {fields.review?.map((f) => (
            <p key={f} className="text-xs text-red-600">
              {f}
            </p>
          ))}
          <Button variant="danger" disabled={busy} onClick={() => run(() => reviewAction({ ...ids, review: { decision: 'request_changes', comment } }), `Sent back to ${readerName}.`)}>
            Send back
          </Button>
        </div>
      )}
    </div>
  );
}
