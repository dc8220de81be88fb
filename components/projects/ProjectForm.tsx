'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { inputClass, TextField } from '@/components/ui/TextField';
import { useActionRunner } from '@/components/ui/use-action-runner';
import type { Action } from '@/lib/http/action-result';
import type { ModelChoice } from '@/lib/inference/model-choices';
import type { CreateProjectInput } from '@/lib/projects/schemas';
import { parseModalities } from '@/lib/projects/series-rule.client';
import { LabelSchemaEditor } from './LabelSchemaEditor';
import { MemberPicker, type MemberOption } from './MemberPicker';
import { draftToSchema, EMPTY_DRAFT, type SchemaDraft } from './schema-draft';

/** The new-project form: what the project is for, its label schema, who reads and reviews, and the model that pre-annotates. */
export function ProjectForm({
  radiologists,
  models,
  purposes,
  action,
}: {
  radiologists: MemberOption[];
  models: ModelChoice[];
  /** The consent purposes a project may declare, with their labels. */
  purposes: { value: NonNullable<CreateProjectInput['consentPurpose']>; label: string }[];
  action: Action<CreateProjectInput, { id: string }>;
}) {
  const router = useRouter();
  const [draft, setDraft] = useState<SchemaDraft>(EMPTY_DRAFT);
  const [readers, setReaders] = useState<string[]>([]);
  const [reviewers, setReviewers] = useState<string[]>([]);
  const { busy, message, fields, run } = useActionRunner();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const modalities = parseModalities(String(form.get('modalities') ?? ''));
    const created = await run(() =>
      action({
        name: String(form.get('name') ?? ''),
        purpose: String(form.get('purpose') ?? ''),
        modalities,
        seriesDescription: String(form.get('seriesDescription') ?? ''),
        readersPerStudy: Number(form.get('readersPerStudy') ?? 1),
        modelName: String(form.get('modelName') ?? '') || null,
        consentPurpose: (String(form.get('consentPurpose') ?? '') || null) as CreateProjectInput['consentPurpose'],
        schema: draftToSchema(draft),
        readers,
        reviewers,
      }),
    );
    if (created) router.push(`/projects/${created.id}`);
  }

  return (
    <form onSubmit={onSubmit} className="grid max-w-5xl gap-8 lg:grid-cols-2" noValidate>
      <div className="space-y-5">
        {message && <Alert tone={message.tone}>{message.text}</Alert>}
        <TextField id="name" name="name" label="Name" required error={fields.name?.[0]} placeholder="e.g. Liver segmentation, portal venous CT" />
        <div>
          <label htmlFor="purpose" className="mb-1 block text-sm font-medium">
            Purpose
          </label>
          <textarea id="purpose" name="purpose" rows={3} className={inputClass} placeholder="What the labels are for; readers see this." />
        </div>
        <div>
          <label htmlFor="consentPurpose" className="mb-1 block text-sm font-medium">
            Patient consent needed
          </label>
          <select id="consentPurpose" name="consentPurpose" className={inputClass} defaultValue="">
            <option value="">None declared</option>
            {purposes.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </select>
          <p className="mt-1 text-xs text-slate-500">{fields.consentPurpose?.[0] ?? 'What the labels and datasets will be used for. Patients who have not decided on it are asked in their portal as their studies join.'}</p>
        </div>
        <TextField id="modalities" name="modalities" label="Modalities to label" help="e.g. CT or CT, MR. Empty: every modality." error={fields.modalities?.[0]} />
        <TextField
          id="seriesDescription"
          name="seriesDescription"
          label="Series to label: description contains"
          placeholder="e.g. lung | chest"
          help="Any case; alternatives separated by |. The viewer opens readers on these series and the model pre-annotates only them. Empty: every series."
          error={fields.seriesDescription?.[0]}
        />
        <TextField id="readersPerStudy" name="readersPerStudy" type="number" min={1} max={10} defaultValue={1} label="Independent readers per study" help="Two or more gives agreement figures (Dice, kappa) between readers." error={fields.readersPerStudy?.[0]} />
        <div>
          <label htmlFor="modelName" className="mb-1 block text-sm font-medium">
            Pre-annotation model
          </label>
          <select id="modelName" name="modelName" className={inputClass} defaultValue="">
            <option value="">None: readers start from empty labels</option>
            {models.map((m) => (
              <option key={m.name} value={m.name}>
                {m.title} ({m.task}, {m.modalities.join(', ')})
              </option>
            ))}
          </select>
          <p className="mt-1 text-xs text-slate-500">{fields.modelName?.[0] ?? 'Studies are pre-annotated by it as they join the project; readers correct its proposals. See Models.'}</p>
        </div>
        <MemberPicker legend="Readers" help="Radiologists who label the studies, each on their own copy." options={radiologists} value={readers} onChange={setReaders} />
        <MemberPicker legend="Reviewers" help="Radiologists who accept labels or ask for changes." options={radiologists} value={reviewers} onChange={setReviewers} />
      </div>
      <div className="space-y-4">
        <h2 className="text-base font-semibold">Label schema</h2>
        {fields.schema?.map((f) => (
          <Alert key={f} tone="error">
            {f}
          </Alert>
        ))}
        <LabelSchemaEditor value={draft} onChange={setDraft} />
        <Button type="submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create project'}
        </Button>
      </div>
    </form>
  );
}
