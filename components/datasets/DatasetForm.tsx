'use client';

import { useRouter } from 'next/navigation';
import { useRef, useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { inputClass, TextField } from '@/components/ui/TextField';
import { useActionRunner } from '@/components/ui/use-action-runner';
import type { Action } from '@/lib/http/action-result';
import type { ExclusionReason } from '@/lib/datasets/exclusion-reasons';
import type { DatasetPreview } from '@/lib/datasets/preview-dataset';
import type { CreateDatasetInput } from '@/lib/datasets/schemas';
import { DatasetPreviewPanel } from './DatasetPreviewPanel';

type Definition = Pick<CreateDatasetInput, 'projectIds' | 'purpose' | 'labelStatus' | 'filters' | 'split'>;
export type ProjectOption = { id: string; name: string; classes: string[] };

const LICENSES = ['CC-BY-4.0', 'CC-BY-NC-4.0', 'CC-BY-NC-SA-4.0', 'CC0-1.0', 'ODbL-1.0', 'Data use agreement of the hospital'];

/**
 * Defines (or changes) a dataset: its projects, the use its patients must have consented to, which
 * labels, filters, a patient-level split and a licence; "Preview" shows what it would contain before
 * anything is saved.
 */
export function DatasetForm({
  projects,
  purposes,
  reasonText,
  initial,
  save,
  preview,
}: {
  projects: ProjectOption[];
  purposes: { value: CreateDatasetInput['purpose']; label: string }[];
  reasonText: Record<ExclusionReason, string>;
  /** The dataset being changed; absent for a new one. */
  initial?: CreateDatasetInput & { id: string };
  save: Action<CreateDatasetInput, { id: string }>;
  preview: Action<Definition, DatasetPreview>;
}) {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const [picked, setPicked] = useState<string[]>(initial?.projectIds ?? (projects.length === 1 ? [projects[0]!.id] : []));
  const [classes, setClasses] = useState<string[]>(initial?.filters.classes ?? []);
  const [shown, setShown] = useState<DatasetPreview | null>(null);
  const saving = useActionRunner();
  const previewing = useActionRunner();
  const offeredClasses = [...new Set(projects.filter((p) => picked.includes(p.id)).flatMap((p) => p.classes))];

  function read(form: HTMLFormElement): CreateDatasetInput {
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? '').trim();
    return {
      name: text('name'),
      description: text('description'),
      projectIds: picked,
      purpose: text('purpose') as CreateDatasetInput['purpose'],
      labelStatus: text('labelStatus') as CreateDatasetInput['labelStatus'],
      filters: {
        modalities: text('modalities').split(/[\s,\\]+/).filter(Boolean),
        classes: classes.filter((c) => offeredClasses.includes(c)),
        ...(text('from') ? { from: text('from') } : {}),
        ...(text('to') ? { to: text('to') } : {}),
      },
      split: { train: Number(text('train')), val: Number(text('val')), test: Number(text('test')), seed: text('seed') || 'cohort', stratify: data.get('stratify') === 'on' },
      license: text('license'),
    };
  }

  async function onPreview() {
    if (!formRef.current) return;
    const { projectIds, purpose, labelStatus, filters, split } = read(formRef.current);
    const result = await previewing.run(() => preview({ projectIds, purpose, labelStatus, filters, split }));
    if (result) setShown(result);
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const saved = await saving.run(() => save(read(event.currentTarget)));
    if (saved) {
      router.push(`/datasets/${saved.id}`);
      router.refresh();
    }
  }

  const fields = { ...previewing.fields, ...saving.fields };
  const split = initial?.split ?? { train: 70, val: 15, test: 15, seed: 'cohort', stratify: true };
  return (
    <div className="space-y-8">
      <form ref={formRef} onSubmit={onSubmit} className="grid max-w-5xl gap-8 lg:grid-cols-2" noValidate aria-label={initial ? 'Change dataset' : 'New dataset'}>
        <div className="space-y-5">
          {saving.message && <Alert tone={saving.message.tone}>{saving.message.text}</Alert>}
          <TextField id="name" name="name" label="Name" required defaultValue={initial?.name} readOnly={!!initial} error={fields.name?.[0]} help={initial ? 'A dataset keeps its name: versions and their holders refer to it.' : undefined} placeholder="e.g. Chest CT lung segmentation" />
          <div>
            <label htmlFor="description" className="mb-1 block text-sm font-medium">
              Description
            </label>
            <textarea id="description" name="description" rows={3} defaultValue={initial?.description} className={inputClass} placeholder="What it is for; it opens the dataset card." />
          </div>
          <fieldset>
            <legend className="mb-1 text-sm font-medium">Projects</legend>
            {projects.length === 0 && <p className="text-sm text-slate-500">No projects yet: a dataset is built from a labeling project&apos;s labels.</p>}
            <div className="space-y-1">
              {projects.map((p) => (
                <label key={p.id} className="flex items-center gap-2 text-sm">
                  <input type="checkbox" checked={picked.includes(p.id)} onChange={(e) => setPicked(e.target.checked ? [...picked, p.id] : picked.filter((id) => id !== p.id))} />
                  {p.name}
                </label>
              ))}
            </div>
            {fields.projectIds?.[0] && <p className="mt-1 text-xs text-red-600">{fields.projectIds[0]}</p>}
          </fieldset>
          <div>
            <label htmlFor="purpose" className="mb-1 block text-sm font-medium">
              Use (the consent every patient must have given)
            </label>
            <select id="purpose" name="purpose" className={inputClass} defaultValue={initial?.purpose ?? 'ai_training'}>
              {purposes.map((p) => (
                <option key={p.value} value={p.value}>
                  {p.label}
                </option>
              ))}
            </select>
            <p className="mt-1 text-xs text-slate-500">Open datasets are published unencrypted; every other use is encrypted for the people you share it with.</p>
          </div>
          <fieldset>
            <legend className="mb-1 text-sm font-medium">Labels</legend>
            <label className="flex items-center gap-2 text-sm">
              <input type="radio" name="labelStatus" value="accepted" defaultChecked={(initial?.labelStatus ?? 'accepted') === 'accepted'} /> Only labels a reviewer accepted
            </label>
            <label className="flex items-center gap-2 text-sm">
              <input type="radio" name="labelStatus" value="any" defaultChecked={initial?.labelStatus === 'any'} /> Each study&apos;s newest label, whatever its status (recorded per study)
            </label>
          </fieldset>
          <TextField id="license" name="license" label="Licence" list="licenses" defaultValue={initial?.license ?? 'CC-BY-NC-4.0'} error={fields.license?.[0]} help="An SPDX identifier, or the agreement holders must sign." />
          <datalist id="licenses">
            {LICENSES.map((l) => (
              <option key={l} value={l} />
            ))}
          </datalist>
        </div>
        <div className="space-y-5">
          <TextField id="modalities" name="modalities" label="Modalities" defaultValue={initial?.filters.modalities.join(', ')} help="e.g. CT, MR. Empty: any." error={fields.filters?.[0]} />
          <fieldset>
            <legend className="mb-1 text-sm font-medium">Classes</legend>
            {offeredClasses.length === 0 ? (
              <p className="text-xs text-slate-500">Pick a project to filter by its classes. None picked: every labeled study.</p>
            ) : (
              <div className="grid max-h-48 gap-1 overflow-y-auto sm:grid-cols-2">
                {offeredClasses.map((c) => (
                  <label key={c} className="flex items-center gap-2 text-sm">
                    <input type="checkbox" checked={classes.includes(c)} onChange={(e) => setClasses(e.target.checked ? [...classes, c] : classes.filter((x) => x !== c))} />
                    {c}
                  </label>
                ))}
              </div>
            )}
          </fieldset>
          <div className="grid grid-cols-2 gap-3">
            <TextField id="from" name="from" type="date" label="Studies from" defaultValue={initial?.filters.from} />
            <TextField id="to" name="to" type="date" label="to" defaultValue={initial?.filters.to} />
          </div>
          <fieldset>
            <legend className="mb-1 text-sm font-medium">Split (percent of studies, whole patients)</legend>
            <div className="grid grid-cols-4 gap-3">
              <TextField id="train" name="train" type="number" min={0} max={100} label="Train" defaultValue={split.train} />
              <TextField id="val" name="val" type="number" min={0} max={100} label="Validation" defaultValue={split.val} />
              <TextField id="test" name="test" type="number" min={0} max={100} label="Test" defaultValue={split.test} />
              <TextField id="seed" name="seed" label="Seed" defaultValue={split.seed} />
            </div>
            <label className="mt-2 flex items-center gap-2 text-sm">
              <input type="checkbox" name="stratify" defaultChecked={split.stratify} /> Keep each class&apos;s share equal across splits
            </label>
            {fields.split?.[0] && <p className="mt-1 text-xs text-red-600">{fields.split[0]}</p>}
          </fieldset>
          <div className="flex gap-3">
            <Button variant="secondary" onClick={onPreview} disabled={previewing.busy}>
              {previewing.busy ? 'Previewing…' : 'Preview'}
            </Button>
            <Button type="submit" disabled={saving.busy}>
              {saving.busy ? 'Saving…' : initial ? 'Save changes' : 'Create dataset'}
            </Button>
          </div>
          {previewing.message && <Alert tone={previewing.message.tone}>{previewing.message.text}</Alert>}
        </div>
      </form>
      {shown && <DatasetPreviewPanel preview={shown} reasonText={reasonText} />}
    </div>
  );
}
