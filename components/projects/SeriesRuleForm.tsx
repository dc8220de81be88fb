'use client';

import { type FormEvent } from 'react';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { inputClass } from '@/components/ui/TextField';
import { useActionRunner } from '@/components/ui/use-action-runner';
import type { Action } from '@/lib/http/action-result';
import { describeSeriesRule, parseModalities, type SeriesRule } from '@/lib/projects/series-rule.client';

type Input = { projectId: string; seriesRule: { modalities: string[]; seriesDescription: string } };

/** Changes which series of its studies the project labels: modalities and text their description contains. */
export function SeriesRuleForm({ projectId, value, action }: { projectId: string; value: SeriesRule; action: Action<Input, { seriesRule: SeriesRule }> }) {
  const { busy, message, run } = useActionRunner();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const modalities = parseModalities(String(form.get('modalities') ?? ''));
    await run(() => action({ projectId, seriesRule: { modalities, seriesDescription: String(form.get('seriesDescription') ?? '') } }), (r) => `Saved: ${describeSeriesRule(r.seriesRule)}.`);
  }

  return (
    <form onSubmit={onSubmit} className="space-y-2" aria-label="Series to label">
      {message && <Alert tone={message.tone}>{message.text}</Alert>}
      <div className="flex flex-wrap items-end gap-2">
        <span className="text-sm text-slate-600 dark:text-slate-400">Series to label</span>
        <div className="w-32">
          <input name="modalities" defaultValue={value.modalities.join(', ')} placeholder="Modalities" aria-label="Modalities" className={inputClass} />
        </div>
        <div className="w-64">
          <input name="seriesDescription" defaultValue={value.seriesDescription} placeholder="Description contains, e.g. lung | chest" aria-label="Series description contains" className={inputClass} />
        </div>
        <Button type="submit" variant="secondary" disabled={busy}>
          {busy ? 'Saving…' : 'Save'}
        </Button>
      </div>
      <p className="text-xs text-slate-500">Readers open on these series and the model pre-annotates only them. Labels already saved are kept.</p>
    </form>
  );
}
