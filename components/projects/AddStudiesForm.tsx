'use client';

import { type FormEvent } from 'react';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { inputClass } from '@/components/ui/TextField';
import { useActionRunner } from '@/components/ui/use-action-runner';
import type { Action } from '@/lib/http/action-result';
import type { AddProjectStudiesInput } from '@/lib/projects/schemas';

type Input = { projectId: string; add: AddProjectStudiesInput };
type AddedStudies = { added: number; alreadyIn: number; consentRequests: number; preannotation: { queued: number; problem?: string } };

/** Adds every study a worklist query matches (modality, study and series description, study dates). */
export function AddStudiesForm({ projectId, action }: { projectId: string; action: Action<Input, AddedStudies> }) {
  const { busy, message, run } = useActionRunner();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (key: string) => String(form.get(key) ?? '').trim() || undefined;
    const query = { modality: text('modality'), description: text('description'), seriesDescription: text('seriesDescription'), from: text('from'), to: text('to') };
    const clean = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined));
    await run(
      () => action({ projectId, add: { query: clean } }),
      (r) =>
        [
          `Added ${r.added} ${r.added === 1 ? 'study' : 'studies'}${r.alreadyIn ? ` (${r.alreadyIn} already in the project)` : ''}.`,
          r.consentRequests ? `Asked the patients of ${r.consentRequests} ${r.consentRequests === 1 ? 'study' : 'studies'} for consent.` : '',
          r.preannotation.queued ? `Pre-annotating ${r.preannotation.queued} series with the project's model.` : '',
          r.preannotation.problem ?? '',
        ]
          .filter(Boolean)
          .join(' '),
    );
  }

  return (
    <form onSubmit={onSubmit} className="space-y-3" aria-label="Add studies">
      {message && <Alert tone={message.tone}>{message.text}</Alert>}
      <div className="flex flex-wrap items-end gap-2">
        <div className="w-40">
          <input name="modality" placeholder="Modality (CT, MR…)" aria-label="Modality" className={inputClass} />
        </div>
        <div className="w-64">
          <input name="description" placeholder="Study description contains" aria-label="Description" className={inputClass} />
        </div>
        <div className="w-56">
          <input name="seriesDescription" placeholder="A series described…" aria-label="Series description" className={inputClass} />
        </div>
        <label className="text-xs text-slate-500">
          From
          <input type="date" name="from" className={`${inputClass} mt-1 w-auto`} />
        </label>
        <label className="text-xs text-slate-500">
          To
          <input type="date" name="to" className={`${inputClass} mt-1 w-auto`} />
        </label>
        <Button type="submit" variant="secondary" disabled={busy}>
          {busy ? 'Adding…' : 'Add matching studies'}
        </Button>
      </div>
      <p className="text-xs text-slate-500">Every stored study matching all the filters given joins the project; studies already in it are skipped.</p>
    </form>
  );
}
