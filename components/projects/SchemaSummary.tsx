import type { LabelSchema } from '@/lib/annotations/label-schema';

function Swatch({ color }: { color: string }) {
  return <span className="inline-block h-3 w-3 shrink-0 rounded-sm border border-black/10" style={{ background: color }} aria-hidden />;
}

/** A label schema at a glance: classes with their colours, questions with their choices. */
export function SchemaSummary({ schema }: { schema: LabelSchema }) {
  const regions = [...schema.boxes.map((b) => ({ ...b, shape: 'box' })), ...schema.polygons.map((p) => ({ ...p, shape: 'polygon' }))];
  return (
    <div className="space-y-3 text-sm" data-testid="schema-summary">
      {schema.segments.length > 0 && (
        <div>
          <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">Segments</h3>
          <ul className="flex flex-wrap gap-2">
            {schema.segments.map((s) => (
              <li key={s.value} className="flex items-center gap-1.5 rounded border border-slate-200 px-2 py-0.5 dark:border-slate-700">
                <Swatch color={s.color} /> {s.name} <span className="text-xs text-slate-400">{s.value}</span>
                {s.code && (
                  <span className="text-xs text-slate-500" title={`${s.code.scheme} ${s.code.value}: ${s.code.meaning}`}>
                    · {s.code.scheme} {s.code.value}
                  </span>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
      {regions.length > 0 && (
        <div>
          <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">Regions</h3>
          <ul className="flex flex-wrap gap-2">
            {regions.map((r) => (
              <li key={r.id} className="flex items-center gap-1.5 rounded border border-slate-200 px-2 py-0.5 dark:border-slate-700">
                <Swatch color={r.color} /> {r.name} <span className="text-xs text-slate-400">{r.shape}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {schema.questions.length > 0 && (
        <div>
          <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">Questions</h3>
          <ul className="space-y-1">
            {schema.questions.map((q) => (
              <li key={q.id}>
                {q.question} <span className="text-xs text-slate-500">({q.level}{q.multiple ? ', several answers' : ''}): {q.choices.map((c) => c.label).join(' · ')}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
