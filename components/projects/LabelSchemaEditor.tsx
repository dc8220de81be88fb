'use client';

import { Button } from '@/components/ui/Button';
import { inputClass } from '@/components/ui/TextField';
import { NO_CODE, paletteColor, type SchemaDraft } from './schema-draft';

const small = `${inputClass} py-1.5`;

/** Edits a label schema: segmentation classes, box/polygon classes and classification questions. */
export function LabelSchemaEditor({ value, onChange }: { value: SchemaDraft; onChange: (draft: SchemaDraft) => void }) {
  const set = <K extends keyof SchemaDraft>(key: K, rows: SchemaDraft[K]) => onChange({ ...value, [key]: rows });
  const update = <K extends keyof SchemaDraft>(key: K, i: number, patch: Partial<SchemaDraft[K][number]>) =>
    set(key, value[key].map((row, j) => (j === i ? { ...row, ...patch } : row)) as SchemaDraft[K]);
  const remove = <K extends keyof SchemaDraft>(key: K, i: number) => set(key, value[key].filter((_, j) => j !== i) as SchemaDraft[K]);
  const nextValue = Math.max(0, ...value.segments.map((s) => s.value)) + 1;

  return (
    <div className="space-y-5" data-testid="schema-editor">
      <fieldset>
        <legend className="mb-1 text-sm font-medium">Segmentation classes</legend>
        <p className="mb-2 text-xs text-slate-500">
          Painted with the brush; stored as this voxel value (1–255) and drawn in this colour. A code (SNOMED CT by default) names the class in exported DICOM-SEG and matches segments of imported ones.
        </p>
        <div className="space-y-2">
          {value.segments.map((s, i) => (
            <div key={i} className="space-y-1">
              <div className="flex items-center gap-2">
                <input aria-label={`Segment ${i + 1} value`} type="number" min={1} max={255} value={s.value} onChange={(e) => update('segments', i, { value: Number(e.target.value) })} className={`${small} w-20`} />
                <input aria-label={`Segment ${i + 1} name`} placeholder="e.g. Liver" value={s.name} onChange={(e) => update('segments', i, { name: e.target.value })} className={small} />
                <input aria-label={`Segment ${i + 1} colour`} type="color" value={s.color} onChange={(e) => update('segments', i, { color: e.target.value })} className="h-8 w-10 cursor-pointer rounded border border-slate-300" />
                <Button variant="ghost" onClick={() => remove('segments', i)} aria-label={`Remove segment ${i + 1}`}>✕</Button>
              </div>
              <div className="flex items-center gap-2 pl-22 text-xs">
                <input aria-label={`Segment ${i + 1} code scheme`} value={s.code.scheme} onChange={(e) => update('segments', i, { code: { ...s.code, scheme: e.target.value } })} className={`${small} w-16 text-xs`} title="Coding scheme: SCT is SNOMED CT" />
                <input aria-label={`Segment ${i + 1} code`} placeholder="Code (optional), e.g. 10200004" value={s.code.value} onChange={(e) => update('segments', i, { code: { ...s.code, value: e.target.value } })} className={`${small} text-xs`} />
                <input aria-label={`Segment ${i + 1} code meaning`} placeholder={s.name ? `Meaning (default: ${s.name})` : 'Meaning'} value={s.code.meaning} onChange={(e) => update('segments', i, { code: { ...s.code, meaning: e.target.value } })} className={`${small} text-xs`} />
              </div>
            </div>
          ))}
        </div>
        <Button variant="secondary" className="mt-2" onClick={() => set('segments', [...value.segments, { value: nextValue, name: '', color: paletteColor(value.segments.length), code: NO_CODE }])}>
          Add segment class
        </Button>
      </fieldset>

      <fieldset>
        <legend className="mb-1 text-sm font-medium">Box and polygon classes</legend>
        <p className="mb-2 text-xs text-slate-500">Regions drawn as rectangles or freehand polygons, each bound to a class.</p>
        <div className="space-y-2">
          {value.regions.map((r, i) => (
            <div key={i} className="flex items-center gap-2">
              <select aria-label={`Region ${i + 1} shape`} value={r.shape} onChange={(e) => update('regions', i, { shape: e.target.value as 'box' | 'polygon' })} className={`${small} w-32`}>
                <option value="box">Box</option>
                <option value="polygon">Polygon</option>
              </select>
              <input aria-label={`Region ${i + 1} name`} placeholder="e.g. Nodule" value={r.name} onChange={(e) => update('regions', i, { name: e.target.value })} className={small} />
              <input aria-label={`Region ${i + 1} colour`} type="color" value={r.color} onChange={(e) => update('regions', i, { color: e.target.value })} className="h-8 w-10 cursor-pointer rounded border border-slate-300" />
              <Button variant="ghost" onClick={() => remove('regions', i)} aria-label={`Remove region ${i + 1}`}>✕</Button>
            </div>
          ))}
        </div>
        <Button variant="secondary" className="mt-2" onClick={() => set('regions', [...value.regions, { name: '', color: paletteColor(value.regions.length + 3), shape: 'box' }])}>
          Add region class
        </Button>
      </fieldset>

      <fieldset>
        <legend className="mb-1 text-sm font-medium">Classification questions</legend>
        <p className="mb-2 text-xs text-slate-500">Answered per study or per series in the viewer&apos;s side panel. Separate choices with commas.</p>
        <div className="space-y-3">
          {value.questions.map((q, i) => (
            <div key={i} className="space-y-2 rounded-md border border-slate-200 p-2 dark:border-slate-700">
              <div className="flex items-center gap-2">
                <input aria-label={`Question ${i + 1}`} placeholder="e.g. Image quality" value={q.question} onChange={(e) => update('questions', i, { question: e.target.value })} className={small} />
                <select aria-label={`Question ${i + 1} level`} value={q.level} onChange={(e) => update('questions', i, { level: e.target.value as 'study' | 'series' })} className={`${small} w-32`}>
                  <option value="study">Per study</option>
                  <option value="series">Per series</option>
                </select>
                <Button variant="ghost" onClick={() => remove('questions', i)} aria-label={`Remove question ${i + 1}`}>✕</Button>
              </div>
              <div className="flex items-center gap-3">
                <input aria-label={`Question ${i + 1} choices`} placeholder="Good, Acceptable, Poor" value={q.choices} onChange={(e) => update('questions', i, { choices: e.target.value })} className={small} />
                <label className="flex shrink-0 items-center gap-1 text-xs">
                  <input type="checkbox" checked={q.multiple} onChange={(e) => update('questions', i, { multiple: e.target.checked })} className="accent-brand-600" />
                  Several answers
                </label>
                <label className="flex shrink-0 items-center gap-1 text-xs">
                  <input type="checkbox" checked={q.required} onChange={(e) => update('questions', i, { required: e.target.checked })} className="accent-brand-600" />
                  Required to submit
                </label>
              </div>
            </div>
          ))}
        </div>
        <Button variant="secondary" className="mt-2" onClick={() => set('questions', [...value.questions, { question: '', level: 'study', choices: '', multiple: false, required: true }])}>
          Add question
        </Button>
      </fieldset>
    </div>
  );
}
