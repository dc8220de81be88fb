'use client';

import type { LabelSchema } from '@/lib/annotations/label-schema';
import type { ProposalSummary } from '@/lib/inference/proposals';

/** What a proposal holds, in the schema's words: segments, boxes per class, or the choices' probabilities. */
function describe(proposal: ProposalSummary, schema: LabelSchema): string {
  const { counts } = proposal;
  if (proposal.task === 'segmentation') {
    const names = schema.segments.filter((s) => counts[String(s.value)]).map((s) => s.name);
    return names.length ? `proposed ${names.join(', ')}` : 'proposed nothing';
  }
  if (proposal.task === 'detection') {
    const boxes = schema.boxes.filter((b) => counts[b.id]).map((b) => `${counts[b.id]} ${b.name} ${counts[b.id] === 1 ? 'box' : 'boxes'}`);
    return boxes.length ? `found ${boxes.join(', ')}` : 'found no boxes';
  }
  const question = schema.questions.find((q) => q.choices.some((c) => c.id in counts));
  if (!question) return 'answered no question of this schema';
  const choices = question.choices.filter((c) => c.id in counts).sort((a, b) => counts[b.id]! - counts[a.id]!);
  return `answers “${question.question}”: ${choices.map((c) => `${c.label} ${Math.round(counts[c.id]! * 100)}%`).join(', ')}`;
}

const ACTIONS = { segmentation: 'Start from the proposal', detection: 'Add the boxes', classification: 'Use the answer' } as const;

/**
 * The AI proposals for the series shown, one per model: what each proposed and a button to take it
 * into the reader's labels (or that the labels started from it).
 */
export function ProposalOffers({ proposals, schema, editable, startedFrom, onTake }: { proposals: ProposalSummary[]; schema: LabelSchema; editable: boolean; startedFrom: (id: string) => boolean; onTake: (id: string) => void }) {
  if (!proposals.length) return null;
  return (
    <section aria-label="AI proposals" className="space-y-2">
      {proposals.map((p) => (
        <div key={p.id} className="rounded bg-slate-900 p-2" data-testid="ai-proposal" data-task={p.task}>
          <h3 className="mb-1 text-xs font-semibold text-slate-400 uppercase">AI {p.task}</h3>
          <p className="mt-1 text-xs text-slate-300">
            {p.modelName} {p.modelVersion} {describe(p, schema)} for this series.
          </p>
          {startedFrom(p.id) ? (
            <p className="mt-1 text-xs text-emerald-300">Your labels of this series started from it.</p>
          ) : (
            editable && (
              <button type="button" onClick={() => onTake(p.id)} className="mt-2 w-full rounded bg-sky-700 px-2 py-1 text-xs text-white hover:bg-sky-600">
                {ACTIONS[p.task]}
              </button>
            )
          )}
        </div>
      ))}
    </section>
  );
}
