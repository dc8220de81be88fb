'use client';

import { cx } from '@/components/ui/cx';
import { describeLabelChanges } from '@/lib/annotations/describe-label-changes.client';
import type { LabelingTool, PrimaryTool } from '../shortcuts';
import { ProposalOffers } from './ProposalOffers';
import type { Labeling } from './use-labeling';

const TOOL_BUTTONS: { tool: LabelingTool; label: string; key: string; needs?: 'segments' | 'boxes' | 'polygons' }[] = [
  { tool: 'brush', label: 'Brush', key: 'B', needs: 'segments' },
  { tool: 'eraser', label: 'Eraser', key: 'E', needs: 'segments' },
  { tool: 'threshold', label: 'Threshold', key: 'T', needs: 'segments' },
  { tool: 'fill', label: 'Fill', key: 'F', needs: 'segments' },
  { tool: 'scissors', label: 'Scissors', key: 'K', needs: 'segments' },
  { tool: 'box', label: 'Box', key: 'Q', needs: 'boxes' },
  { tool: 'polygon', label: 'Polygon', key: 'Y', needs: 'polygons' },
  { tool: 'length', label: 'Length', key: 'L' },
  { tool: 'angle', label: 'Angle', key: 'A' },
];

/**
 * The labeling side panel: tools, the schema's segments (colour, visibility, voxels painted),
 * region classes, classification questions, and save / submit with what was last saved.
 */
export function LabelingPanel({
  labeling,
  tool,
  activeSeries,
  drawable,
  onTool,
  onInterpolate,
}: {
  labeling: Labeling;
  tool: PrimaryTool;
  activeSeries: string | null;
  /** Whether the active series takes labels (the project labels it); others are for reference. */
  drawable: boolean;
  onTool: (tool: LabelingTool) => void;
  onInterpolate: () => void;
}) {
  const { schema, view, save, editable } = labeling;
  if (!schema || !view) {
    return (
      <aside className="w-72 shrink-0 border-l border-slate-800 p-3 text-sm text-slate-300" aria-label="Labeling">
        {save.kind === 'error' ? <p className="text-red-300" role="alert">Labeling could not start: {save.message}</p> : <p>Opening your labels…</p>}
      </aside>
    );
  }
  const counts = activeSeries ? (labeling.counts[activeSeries] ?? {}) : {};
  const proposals = labeling.proposals.filter((p) => p.seriesInstanceUid === activeSeries);
  const regions = [...schema.boxes.map((c) => ({ ...c, shape: 'box' })), ...schema.polygons.map((c) => ({ ...c, shape: 'polygon' }))];
  const has = { segments: schema.segments.length > 0, boxes: schema.boxes.length > 0, polygons: schema.polygons.length > 0 };

  return (
    <aside className="flex w-72 shrink-0 flex-col gap-4 overflow-y-auto border-l border-slate-800 p-3 text-sm" aria-label="Labeling" data-testid="labeling-panel" data-save={save.kind} data-version={view.version}>
      <section>
        <div className="flex items-center justify-between gap-2">
          <h2 className="font-semibold text-slate-100">Your labels</h2>
          <span className="rounded bg-slate-800 px-1.5 py-0.5 text-xs text-slate-300" data-testid="label-status">
            {view.status.replace('_', ' ')}
          </span>
        </div>
        <p className="mt-1 text-xs text-slate-400" data-testid="save-state" aria-live="polite">
          {saveText(save)}
        </p>
        {labeling.message && (
          <p className="mt-2 rounded bg-amber-900/60 px-2 py-1 text-xs text-amber-100" role="alert">
            {labeling.message}{' '}
            <button type="button" className="underline" onClick={labeling.dismissMessage}>
              OK
            </button>
          </p>
        )}
        {labeling.next !== undefined && (
          <p className="mt-2 text-xs text-emerald-300" role="status">
            Submitted for review.{' '}
            {labeling.next ? (
              <a href={`/studies/${labeling.next}/viewer?project=${labeling.projectId}`} className="font-semibold underline">
                Next study →
              </a>
            ) : (
              'Nothing left in your queue.'
            )}
          </p>
        )}
        {editable && (
          <div className="mt-2 flex gap-2">
            <PanelButton onClick={labeling.saveNow} title="Save a version (Ctrl+S)" disabled={!labeling.ready || save.kind === 'saving'}>
              Save
            </PanelButton>
            <PanelButton onClick={labeling.submit} title="Save and send for review" disabled={!labeling.ready || save.kind === 'saving'} primary>
              Submit
            </PanelButton>
            <PanelButton onClick={labeling.undo} title="Undo (Ctrl+Z)">
              ↶
            </PanelButton>
            <PanelButton onClick={labeling.redo} title="Redo (Ctrl+Y)">
              ↷
            </PanelButton>
          </div>
        )}
      </section>

      <ProposalOffers proposals={proposals} schema={schema} editable={editable} startedFrom={labeling.startedFrom} onTake={(id) => void labeling.startFromProposal(id)} />

      {editable && (
        <section aria-label="Labeling tools">
          <h3 className="mb-1 text-xs font-semibold text-slate-400 uppercase">Tools</h3>
          {activeSeries && !drawable && (
            <p className="mb-2 rounded bg-slate-800 px-2 py-1 text-xs text-amber-200" data-testid="not-labeled-note">
              This project does not label the active series: it is shown for reference and drawing is off on it. Series marked “To label” take labels.
            </p>
          )}
          <div className="grid grid-cols-3 gap-1">
            {TOOL_BUTTONS.filter((t) => !t.needs || has[t.needs]).map((t) => (
              <button
                key={t.tool}
                type="button"
                aria-pressed={tool === t.tool}
                title={`${t.label} (${t.key})`}
                onClick={() => onTool(t.tool)}
                className={cx('rounded px-2 py-1 text-xs', tool === t.tool ? 'bg-sky-600 text-white' : 'bg-slate-800 text-slate-200 hover:bg-slate-700')}
              >
                {t.label}
              </button>
            ))}
          </div>
          {has.segments && (
            <button type="button" onClick={onInterpolate} title="Fill the active segment between the slices you drew it on (J)" className="mt-1 w-full rounded bg-slate-800 px-2 py-1 text-xs text-slate-200 hover:bg-slate-700">
              Interpolate between slices
            </button>
          )}
          {has.segments && (
            <label className="mt-2 flex items-center gap-2 text-xs text-slate-400">
              Brush {labeling.brushSize} mm
              <input type="range" min={1} max={50} value={labeling.brushSize} onChange={(e) => labeling.setBrushSize(Number(e.target.value))} aria-label="Brush radius" className="flex-1" />
            </label>
          )}
          {tool === 'threshold' && (
            <div className="mt-2 flex items-center gap-1 text-xs text-slate-400">
              Paint only
              <input type="number" value={labeling.threshold[0]} onChange={(e) => labeling.setThreshold([Number(e.target.value), labeling.threshold[1]])} aria-label="Threshold minimum" className="w-16 rounded bg-slate-800 px-1" />
              to
              <input type="number" value={labeling.threshold[1]} onChange={(e) => labeling.setThreshold([labeling.threshold[0], Number(e.target.value)])} aria-label="Threshold maximum" className="w-16 rounded bg-slate-800 px-1" />
              HU
            </div>
          )}
        </section>
      )}

      {has.segments && (
        <section aria-label="Segments">
          <h3 className="mb-1 text-xs font-semibold text-slate-400 uppercase">Segments</h3>
          <ul className="space-y-1">
            {schema.segments.map((s) => (
              <li key={s.value} className={cx('flex items-center gap-2 rounded px-1.5 py-1', labeling.activeSegment === s.value && 'bg-slate-800')}>
                <button type="button" onClick={() => labeling.setActiveSegment(s.value)} className="flex flex-1 items-center gap-2 text-left" aria-pressed={labeling.activeSegment === s.value} aria-label={`Paint ${s.name}`} title="Paint this segment">
                  <span className="h-3 w-3 rounded-sm" style={{ background: s.color }} aria-hidden />
                  <span className="text-slate-100">{s.name}</span>
                  <span className="ml-auto text-xs text-slate-400" data-testid={`segment-voxels-${s.value}`}>
                    {(counts[s.value] ?? 0).toLocaleString('en')} vx
                  </span>
                </button>
                <button type="button" onClick={() => labeling.toggleSegment(s.value)} className="text-xs text-slate-400 hover:text-slate-100" aria-label={`${labeling.hidden.includes(s.value) ? 'Show' : 'Hide'} ${s.name}`}>
                  {labeling.hidden.includes(s.value) ? 'show' : 'hide'}
                </button>
              </li>
            ))}
          </ul>
          <label className="mt-2 flex items-center gap-2 text-xs text-slate-400">
            Opacity
            <input type="range" min={0} max={1} step={0.05} value={labeling.opacity} onChange={(e) => labeling.setOpacity(Number(e.target.value))} aria-label="Segment opacity" className="flex-1" />
          </label>
          {editable && (
            <label className="mt-2 flex items-center gap-2 text-xs text-slate-400" title="Painting over another segment keeps both, e.g. a lesion inside an organ (O)">
              <input type="checkbox" checked={labeling.overlap} onChange={(e) => labeling.setOverlap(e.target.checked)} />
              Segments may overlap
            </label>
          )}
        </section>
      )}

      {regions.length > 0 && (
        <section aria-label="Region classes">
          <h3 className="mb-1 text-xs font-semibold text-slate-400 uppercase">Regions</h3>
          <ul className="space-y-1">
            {regions.map((r) => (
              <li key={r.id}>
                <button type="button" onClick={() => labeling.setRegionClass(r.id)} aria-pressed={labeling.regionClass === r.id} aria-label={`Draw ${r.name}`} className={cx('flex w-full items-center gap-2 rounded px-1.5 py-1 text-left', labeling.regionClass === r.id && 'bg-slate-800')}>
                  <span className="h-3 w-3 rounded-sm border-2" style={{ borderColor: r.color }} aria-hidden />
                  <span className="text-slate-100">{r.name}</span>
                  <span className="ml-auto text-xs text-slate-500">{r.shape}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}

      {schema.questions.length > 0 && (
        <section aria-label="Questions">
          <h3 className="mb-1 text-xs font-semibold text-slate-400 uppercase">Questions</h3>
          {schema.questions.map((q) => {
            const series = q.level === 'series' ? (activeSeries ?? undefined) : undefined;
            if (q.level === 'series' && (!series || !drawable)) return null;
            const chosen = labeling.answers.find((a) => a.questionId === q.id && a.seriesInstanceUid === series)?.choiceIds ?? [];
            return (
              <fieldset key={q.id} className="mb-3" disabled={!editable}>
                <legend className="mb-1 text-slate-100">
                  {q.question}
                  {q.level === 'series' && <span className="text-xs text-slate-500"> (this series)</span>}
                </legend>
                {q.choices.map((c) => (
                  <label key={c.id} className="flex items-center gap-2 py-0.5 text-slate-200">
                    <input
                      type={q.multiple ? 'checkbox' : 'radio'}
                      name={`${q.id}-${series ?? 'study'}`}
                      checked={chosen.includes(c.id)}
                      onChange={(e) => labeling.answer(q.id, q.multiple ? (e.target.checked ? [...chosen, c.id] : chosen.filter((x) => x !== c.id)) : [c.id], series)}
                      className="accent-sky-500"
                    />
                    {c.label}
                  </label>
                ))}
              </fieldset>
            );
          })}
        </section>
      )}

      {labeling.comments.length > 0 && (
        <section aria-label="Comments">
          <h3 className="mb-1 text-xs font-semibold text-slate-400 uppercase">Comments</h3>
          <ol className="space-y-2 text-xs">
            {labeling.comments.slice(-5).map((c) => (
              <li key={c.id}>
                <span className="text-slate-500">{c.author}:</span> <span className="whitespace-pre-wrap text-slate-200">{c.body}</span>
              </li>
            ))}
          </ol>
        </section>
      )}

      {has.segments && (
        <section aria-label="DICOM-SEG">
          <h3 className="mb-1 text-xs font-semibold text-slate-400 uppercase">DICOM-SEG</h3>
          <div className="flex gap-2 text-xs">
            {activeSeries && view.version > 0 && (
              <a href={`/api/annotations/${view.id}/seg?series=${activeSeries}`} download className="rounded bg-slate-800 px-2 py-1 text-slate-200 hover:bg-slate-700" title="The last saved version of this series' labelmap, for OHIF, 3D Slicer and PACS">
                Export
              </a>
            )}
            {editable && (
              <label className="cursor-pointer rounded bg-slate-800 px-2 py-1 text-slate-200 hover:bg-slate-700" title="Load a segmentation made in another tool as a new version">
                Import…
                <input
                  type="file"
                  accept=".dcm,application/dicom"
                  className="sr-only"
                  aria-label="Import DICOM-SEG"
                  onChange={(e) => {
                    const file = e.target.files?.[0];
                    if (file) void labeling.importSeg(file);
                  }}
                />
              </label>
            )}
          </div>
        </section>
      )}

      {labeling.history.length > 0 && (
        <section aria-label="Versions">
          <h3 className="mb-1 text-xs font-semibold text-slate-400 uppercase">Versions</h3>
          <ol className="space-y-1 text-xs text-slate-400">
            {labeling.history.slice(0, 10).map((h) => (
              <li key={h.version} title={`Content hash ${h.contentHash}`}>
                v{h.version} · {h.reason} · {h.author} · {new Date(h.createdAt).toLocaleString('en-GB')}
                <span className="block text-slate-500" data-testid="version-changes">
                  {describeLabelChanges(h.changes, schema.segments).join(' · ')}
                </span>
              </li>
            ))}
          </ol>
        </section>
      )}
    </aside>
  );
}

function saveText(save: Labeling['save']): string {
  switch (save.kind) {
    case 'loading':
      return 'Opening…';
    case 'dirty':
      return 'Unsaved changes: saving a draft in a moment.';
    case 'saving':
      return save.reason === 'autosave' ? 'Saving a draft…' : save.reason === 'submit' ? 'Submitting…' : 'Saving…';
    case 'error':
      return `Not saved: ${save.message}`;
    case 'saved':
      if (save.draft) return `Draft saved ${save.at ? new Date(save.at).toLocaleTimeString('en-GB') : ''} (on top of version ${save.version}).`;
      return save.version ? `Saved as version ${save.version}${save.at ? ` at ${new Date(save.at).toLocaleTimeString('en-GB')}` : ''}.` : 'Nothing saved yet.';
  }
}

function PanelButton({ onClick, title, disabled, primary, children }: { onClick: () => void; title: string; disabled?: boolean; primary?: boolean; children: React.ReactNode }) {
  return (
    <button
      type="button"
      onClick={onClick}
      title={title}
      disabled={disabled}
      className={cx('rounded px-2.5 py-1 text-xs disabled:opacity-50', primary ? 'bg-emerald-600 text-white hover:bg-emerald-500' : 'bg-slate-800 text-slate-100 hover:bg-slate-700')}
    >
      {children}
    </button>
  );
}
