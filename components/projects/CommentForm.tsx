'use client';

import { useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { inputClass } from '@/components/ui/TextField';
import { useActionRunner } from '@/components/ui/use-action-runner';
import type { Action } from '@/lib/http/action-result';

export function CommentForm({ projectId, studyId, action }: { projectId: string; studyId: string; action: Action<{ projectId: string; studyId: string; body: string }, unknown> }) {
  const [body, setBody] = useState('');
  const { busy, message, fields, run } = useActionRunner();
  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (await run(() => action({ projectId, studyId, body }))) setBody('');
  }
  return (
    <form onSubmit={onSubmit} className="space-y-2">
      {message && <Alert tone={message.tone}>{message.text}</Alert>}
      <label htmlFor="comment" className="sr-only">
        Comment
      </label>
      <textarea id="comment" rows={2} value={body} onChange={(e) => setBody(e.target.value)} placeholder="A question, an answer, a note for the reviewer…" className={inputClass} />
      {fields.body?.[0] && <p className="text-xs text-red-600">{fields.body[0]}</p>}
      <Button type="submit" variant="secondary" disabled={busy}>
        Comment
      </Button>
    </form>
  );
}
