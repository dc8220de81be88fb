'use client';

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { mergedCounts } from '@/lib/annotations/labelmap-layers.client';
import { decodeLabelmapRle, encodeLabelmapRle, summarizeLabelmapRle } from '@/lib/annotations/labelmap-rle.client';
import { seriesOfContent } from '@/lib/annotations/content-series.client';
import type { AnnotationContent, SaveAnnotationInput } from '@/lib/annotations/schemas';
import type { LoadedSeries } from '../load-series';
import type { LabelingTool } from '../shortcuts';
import type { ViewerTools } from '../viewer-tools';
import { base64ToBytes, bytesToBase64 } from './base64.client';
import { labelsKey } from './labels-key';
import { decodeSeriesLayers } from './series-layers';
import type { ProposalUse } from '@/lib/annotations/get-annotation';
import type { ProposalContent } from '@/lib/inference/proposal-content';
import type { AnnotationView, LabelingSetup } from './labeling-setup';
import { forgetUnsavedLabels, keepUnsavedLabels, unsavedLabels } from './unsaved-labels.client';

/** Quiet time after the last change before an autosave: at most this much work is lost with a closed tab. */
const AUTOSAVE_MS = 3000;
const SEG_WARNINGS = 'cohort:seg-warnings';

export type SaveState =
  | { kind: 'loading' }
  | { kind: 'saved'; version: number; at: string | null; draft: boolean }
  | { kind: 'dirty' }
  | { kind: 'saving'; reason: SaveAnnotationInput['reason'] }
  | { kind: 'error'; message: string };

type Answers = AnnotationContent['answers'];
type Labels = { content: AnnotationContent; labelmaps: NonNullable<AnnotationView['saved']>['labelmaps'] };

/**
 * A reader's labeling session in the viewer: their copy of the study's label (opened on the server),
 * the labelmaps and annotations it puts on each series shown, the panel's choices (segment, region
 * class, brush), answers, and saving (autosave drafts, explicit saves, submit).
 */
export function useLabeling(setup: LabelingSetup | null, tools: ViewerTools | null, toolGroupId: string) {
  const [view, setView] = useState<AnnotationView | null>(null);
  /** Kept apart from `view`: a refreshed history must not re-attach the panes' labels (that follows `view`). */
  const [history, setHistory] = useState<AnnotationView['history']>([]);
  const [save, setSave] = useState<SaveState>({ kind: 'loading' });
  const [answers, setAnswers] = useState<Answers>([]);
  const [activeSegment, setActiveSegment] = useState<number | null>(null);
  const [regionClass, setRegionClass] = useState<string | null>(null);
  const [hidden, setHidden] = useState<number[]>([]);
  const [opacity, setOpacity] = useState(0.5);
  /** Painting over another segment keeps both (an overlap layer) instead of replacing it. */
  const [overlap, setOverlap] = useState(false);
  const [brushSize, setBrushSize] = useState(5);
  const [threshold, setThreshold] = useState<[number, number]>([-100, 200]);
  const [counts, setCounts] = useState<Record<string, Record<string, number>>>({});
  // What an import just before this page load had to say.
  const [message, setMessage] = useState<string | null>(() => {
    if (typeof window === 'undefined') return null;
    const warnings = window.sessionStorage.getItem(SEG_WARNINGS);
    window.sessionStorage.removeItem(SEG_WARNINGS);
    return warnings ? `Imported, with warnings: ${warnings}` : null;
  });
  /** After submitting: the reader's next study (null when none is left). */
  const [next, setNext] = useState<string | null | undefined>(undefined);
  const [comments, setComments] = useState<{ id: string; author: string; body: string; createdAt: string }[]>([]);
  /** Labels as loaded: what series not shown this session keep when saving. */
  const initial = useRef<Labels | null>(null);
  /** The series those labels hold something on: editable even if the project no longer labels them. */
  const [labeledSeries, setLabeledSeries] = useState<ReadonlySet<string>>(new Set());
  /** The AI proposals the labels started from (per series: a labelmap, boxes, an answer), sent with every save. */
  const [proposalUse, setProposalUse] = useState<ProposalUse[]>([]);
  const proposalUseRef = useRef(proposalUse);
  useEffect(() => {
    proposalUseRef.current = proposalUse;
  });
  const version = useRef(0);
  const restoring = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  /** What the server holds (as labelsKey) and the state that says so: a draft of the very same labels is not worth a request. */
  const lastStored = useRef<{ labels: string; state: Extract<SaveState, { kind: 'saved' }> } | null>(null);
  const panes = useRef(new Map<string, string>());
  const schema = view?.schema.schema ?? null;
  const editable = Boolean(view?.canEdit);
  const segmentStyles = useMemo(() => (schema?.segments ?? []).map((s) => ({ value: s.value, color: s.color, visible: !hidden.includes(s.value) })), [schema, hidden]);
  // The latest panel state, for event handlers Cornerstone holds on to and for panes attaching later.
  const stateRef = useRef({ answers, activeSegment, regionClass, opacity, segmentStyles });
  useEffect(() => {
    stateRef.current = { answers, activeSegment, regionClass, opacity, segmentStyles };
  });

  // Open (or create) the reader's copy.
  useEffect(() => {
    if (!setup) return;
    let cancelled = false;
    const open = async () => {
      const res = await fetch(`/api/projects/${setup.projectId}/studies/${setup.studyId}/annotation`, { method: 'POST' });
      const body = (await res.json()) as AnnotationView & { message?: string };
      if (!res.ok) throw new Error(body.message ?? `HTTP ${res.status}`);
      return body;
    };
    open()
      .then(async (v) => {
        const recovered = await recoverUnsavedLabels(v);
        if (recovered) setMessage(recovered.message);
        return recovered?.reopen ? open() : v;
      })
      .then((v) => {
        if (cancelled) return;
        const labels = v.draft ?? v.saved;
        initial.current = labels ? { content: labels.content, labelmaps: labels.labelmaps } : { content: { regions: [], measurements: [], answers: [] }, labelmaps: [] };
        setProposalUse(labels?.proposals ?? []);
        setLabeledSeries(new Set([...initial.current.labelmaps.map((l) => l.seriesInstanceUid), ...seriesOfContent(initial.current.content)]));
        version.current = v.version;
        setView(v);
        setHistory(v.history);
        setAnswers(initial.current.content.answers);
        setActiveSegment(v.schema.schema.segments[0]?.value ?? null);
        setRegionClass([...v.schema.schema.boxes, ...v.schema.schema.polygons][0]?.id ?? null);
        const state = { kind: 'saved', version: v.version, at: v.draft?.savedAt ?? v.saved?.savedAt ?? null, draft: Boolean(v.draft) } as const;
        // What the server holds: an autosave of the very same labels (a late event from restoring them) sends nothing.
        const { content, labelmaps } = initial.current;
        lastStored.current = { labels: labelsKey({ baseVersion: v.version, schemaVersion: v.schema.version, content, labelmaps, proposals: labels?.proposals ?? [] }), state };
        setSave(state);
      })
      .catch((err: unknown) => !cancelled && setSave({ kind: 'error', message: err instanceof Error ? err.message : String(err) }));
    // The study's comments: a reader sent back sees what to change.
    fetch(`/api/projects/${setup.projectId}/studies/${setup.studyId}/comments`)
      .then((res) => (res.ok ? (res.json() as Promise<{ comments: typeof comments }>) : { comments: [] }))
      .then((body) => !cancelled && setComments(body.comments))
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [setup]);

  const colorOf = useCallback(
    (classId: string) => [...(schema?.boxes ?? []), ...(schema?.polygons ?? [])].find((c) => c.id === classId)?.color,
    [schema],
  );

  const persist = useCallback(
    async (reason: SaveAnnotationInput['reason']) => {
      if (!tools || !view || !setup || !initial.current) return;
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
      setSave({ kind: 'saving', reason });
      try {
        const shown = tools.labeling.readLabelmaps().map((l) => {
          const layers = l.layers.map((voxels, layer) => {
            const rle = encodeLabelmapRle(voxels);
            // The panel's voxel counts, from the runs just encoded (not a second pass over the voxels).
            return { layer, rle, counts: Object.fromEntries(summarizeLabelmapRle(rle, voxels.length).counts) };
          });
          return { ...l, layers, counts: mergedCounts(layers) };
        });
        setCounts((c) => ({ ...c, ...Object.fromEntries(shown.map((l) => [l.seriesUid, l.counts])) }));
        const shownUids = new Set(shown.map((l) => l.seriesUid));
        const labelmaps = [
          ...shown
            // An empty series is left out.
            .filter((l) => Object.keys(l.counts).length > 0)
            .flatMap((l) => l.layers.map(({ layer, rle }) => ({ seriesInstanceUid: l.seriesUid, layer, columns: l.columns, rows: l.rows, slices: l.slices, rle: bytesToBase64(rle) }))),
          // Series not opened this session keep what they had.
          ...initial.current.labelmaps.filter((l) => !shownUids.has(l.seriesInstanceUid)).map(({ counts: _, ...l }) => l),
        ];
        const drawn = tools.labeling.readAnnotations();
        const keep = <T extends { seriesInstanceUid: string }>(items: T[]) => items.filter((i) => !shownUids.has(i.seriesInstanceUid));
        const content: AnnotationContent = {
          regions: [...drawn.regions, ...keep(initial.current.content.regions)],
          measurements: [...drawn.measurements, ...keep(initial.current.content.measurements)],
          answers: stateRef.current.answers,
        };
        const input: SaveAnnotationInput = {
          baseVersion: version.current,
          schemaVersion: view.schema.version,
          reason,
          content,
          labelmaps,
          proposals: proposalUseRef.current,
        };
        // A stroke undone, or a late event from Cornerstone's own bookkeeping, changes nothing: say
        // what is stored rather than storing it again as a draft.
        const labels = labelsKey(input);
        if (reason === 'autosave' && lastStored.current?.labels === labels) {
          setSave(lastStored.current.state);
          return;
        }
        // Kept in the browser until the server has it: a closed tab or a dropped connection loses nothing.
        keepUnsavedLabels(view.id, input);
        const res = await fetch(`/api/annotations/${view.id}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(input),
          // The rest of a closing page's requests is cancelled; keepalive ones (up to 64 KB) are not.
          keepalive: reason === 'autosave' && labelmaps.reduce((n, l) => n + l.rle.length, 0) < 60_000,
        });
        const body = (await res.json()) as { version?: number; status?: string; message?: string };
        // Stored, or refused for what it is (sending it again would not help); a server error may pass.
        if (res.status < 500) forgetUnsavedLabels(view.id);
        if (!res.ok) throw new Error(body.message ?? `HTTP ${res.status}`);
        version.current = body.version ?? version.current;
        const stored = { kind: 'saved', version: version.current, at: new Date().toISOString(), draft: reason === 'autosave' } as const;
        // The next draft builds on this version: baseVersion is part of what is compared.
        lastStored.current = { labels: labelsKey({ ...input, baseVersion: version.current }), state: stored };
        setSave(stored);
        setView((v) => (v ? { ...v, version: version.current } : v));
        // A new version joins the panel's history with what it changed (the server works that out).
        if (reason !== 'autosave') void refreshHistory(view.id, setHistory);
        if (reason === 'submit') {
          setView((v) => (v ? { ...v, status: 'submitted', canEdit: false } : v));
          const queue = await fetch(`/api/projects/${setup.projectId}/queue`).then((r) => r.json() as Promise<{ next: string | null }>);
          setNext(queue.next);
        }
      } catch (err) {
        setSave({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
      }
    },
    [tools, view, setup],
  );

  const changed = useCallback(() => {
    if (restoring.current > 0 || !editable) return;
    setSave({ kind: 'dirty' });
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void persist('autosave'), AUTOSAVE_MS);
  }, [editable, persist]);

  // Painting, drawing and undo all arrive as Cornerstone events.
  useEffect(() => {
    if (!tools || !view) return;
    return tools.labeling.onLabelsChanged(changed, (a) => {
      const shape = a.metadata.toolName === tools.labeling.REGION_TOOLS.box ? 'box' : a.metadata.toolName === tools.labeling.REGION_TOOLS.polygon ? 'polygon' : null;
      if (!shape || !schema) return;
      const classes = shape === 'box' ? schema.boxes : schema.polygons;
      const chosen = classes.find((c) => c.id === stateRef.current.regionClass) ?? classes[0];
      if (chosen) tools.labeling.labelRegion(a, chosen.id, chosen.color);
      else setMessage(`The schema has no ${shape} classes: this ${shape} will not be saved.`);
    });
  }, [tools, view, changed, schema]);

  // Leaving the page: save what autosave has not yet.
  useEffect(() => {
    const beforeUnload = (e: BeforeUnloadEvent) => {
      if (timer.current) {
        void persist('autosave');
        e.preventDefault();
      }
    };
    window.addEventListener('beforeunload', beforeUnload);
    return () => window.removeEventListener('beforeunload', beforeUnload);
  }, [persist]);

  // Tear down every labelmap and annotation with the viewer.
  useEffect(() => {
    if (!tools || !setup) return;
    return () => {
      if (timer.current) clearTimeout(timer.current);
      tools.labeling.destroyLabeling();
    };
  }, [tools, setup]);

  /** Puts the series' labels on a pane that shows it; returns the undo. */
  const attachPane = useCallback(
    (viewportId: string, seriesUid: string, series: LoadedSeries): (() => void) | undefined => {
      if (!tools || !view || !schema || !initial.current || !tools.labeling.canLabel(series)) return;
      restoring.current++;
      try {
        const saved = initial.current.labelmaps;
        tools.labeling.ensureLabelmap(seriesUid, series, schema.segments, decodeSeriesLayers(saved, seriesUid));
        const { activeSegment: active, opacity: alpha, segmentStyles: styles } = stateRef.current;
        tools.labeling.showLabelmap(viewportId, seriesUid, styles, { opacity: alpha, activeValue: active });
        tools.labeling.restoreAnnotations(viewportId, seriesUid, initial.current.content, colorOf);
        panes.current.set(viewportId, seriesUid);
        // The saved counts, until a save counts again: another pane (or MPR) opening later keeps them.
        setCounts((c) => (seriesUid in c ? c : { ...c, [seriesUid]: mergedCounts(saved.filter((l) => l.seriesInstanceUid === seriesUid)) }));
      } finally {
        // Cornerstone reports the restore's own edits asynchronously; they are not the reader's.
        setTimeout(() => restoring.current--, 0);
      }
      return () => {
        panes.current.delete(viewportId);
        tools.labeling.hideLabelmap(viewportId, seriesUid);
      };
    },
    [tools, view, schema, colorOf],
  );

  // Panel choices apply to every pane showing labels.
  useEffect(() => {
    if (!tools) return;
    for (const [viewportId, seriesUid] of panes.current) tools.labeling.styleLabelmap(viewportId, seriesUid, segmentStyles, { opacity, activeValue: activeSegment });
  }, [tools, segmentStyles, opacity, activeSegment]);
  useEffect(() => {
    if (!tools) return;
    tools.setSegmentsOverlap(overlap);
    return () => tools.setSegmentsOverlap(false);
  }, [tools, overlap]);
  useEffect(() => {
    if (tools && view) tools.setBrushSize(toolGroupId, brushSize);
  }, [tools, view, toolGroupId, brushSize]);
  useEffect(() => {
    if (tools && view) tools.setThresholdRange(toolGroupId, threshold);
  }, [tools, view, toolGroupId, threshold]);

  const answer = useCallback(
    (questionId: string, choiceIds: string[], seriesInstanceUid?: string) => {
      setAnswers((current) => [
        ...current.filter((a) => !(a.questionId === questionId && a.seriesInstanceUid === seriesInstanceUid)),
        ...(choiceIds.length ? [{ questionId, choiceIds, ...(seriesInstanceUid ? { seriesInstanceUid } : {}) }] : []),
      ]);
      changed();
    },
    [changed],
  );

  return {
    /** The tools are loaded: saving reads the labels from them (until then Save and Submit would do nothing). */
    ready: Boolean(tools && view),
    enabled: Boolean(setup),
    labeledSeries,
    view,
    history,
    schema,
    editable,
    save,
    message,
    dismissMessage: () => setMessage(null),
    answers,
    answer,
    activeSegment,
    setActiveSegment,
    regionClass,
    setRegionClass,
    hidden,
    toggleSegment: (value: number) => setHidden((h) => (h.includes(value) ? h.filter((v) => v !== value) : [...h, value])),
    opacity,
    setOpacity,
    overlap,
    setOverlap,
    brushSize,
    setBrushSize,
    threshold,
    setThreshold,
    counts,
    next,
    comments,
    projectId: setup?.projectId ?? null,
    attachPane,
    /** Fills the active segment between drawn slices of `seriesUid`; says how much it did. */
    interpolate: (seriesUid: string | null) => {
      if (!tools || !seriesUid || !activeSegment || !editable) return;
      const written = tools.labeling.interpolateSeries(seriesUid, activeSegment);
      setMessage(written ? `Interpolated ${written.toLocaleString('en')} voxels between your slices (Ctrl+Z undoes it).` : 'Nothing to interpolate: draw the segment on two slices with empty slices between them.');
    },
    proposals: view?.proposals ?? [],
    /** Whether the labels started from this proposal. */
    startedFrom: (proposalId: string) => proposalUse.some((u) => u.proposalId === proposalId),
    /**
     * Takes a model's proposal into the reader's labels, to correct: a labelmap replaces the series'
     * (one undoable step, only segments the schema has), boxes are added to the series' regions, an
     * answer is chosen. Saves then cite the proposal.
     */
    startFromProposal: async (proposalId: string) => {
      const proposal = view?.proposals.find((p) => p.id === proposalId);
      if (!tools || !proposal || !editable || !schema) return;
      const seriesUid = proposal.seriesInstanceUid;
      const res = await fetch(`/api/proposals/${proposal.id}`);
      const body = (await res.json()) as { labelmap?: { columns: number; rows: number; slices: number; rle: string }; content?: ProposalContent; message?: string };
      if (!res.ok) return setMessage(`The proposal could not be loaded: ${body.message ?? `HTTP ${res.status}`}`);
      const from = `${proposal.modelName} ${proposal.modelVersion}`;
      let sameKind = (u: ProposalUse) => u.proposalId === proposal.id;
      if (body.labelmap) {
        const { columns, rows, slices, rle } = body.labelmap;
        const voxels = decodeLabelmapRle(base64ToBytes(rle), columns * rows * slices);
        const known = new Set(schema.segments.map((s) => s.value));
        for (let i = 0; i < voxels.length; i++) if (voxels[i] && !known.has(voxels[i]!)) voxels[i] = 0;
        const replaced = tools.labeling.replaceSeriesVoxels(seriesUid, voxels);
        if (replaced === 'size') return setMessage('The proposal does not fit this series as shown: open the series in a pane first.');
        if (replaced === 'overlap') return setMessage('Segments of this series overlap others: erase the overlapping ones before starting from a proposal.');
        // The series' labelmap now starts from this proposal, not from another model's.
        const segmentations = new Set((view?.proposals ?? []).filter((p) => p.task === 'segmentation' && p.seriesInstanceUid === seriesUid).map((p) => p.id));
        sameKind = (u) => segmentations.has(u.proposalId);
        setMessage(`Started from ${from}'s proposal: correct it, or Ctrl+Z to go back.`);
      } else if (body.content && proposal.task === 'detection') {
        const pane = [...panes.current].find(([, uid]) => uid === seriesUid)?.[0];
        if (!pane) return setMessage('Open the series in a pane first: its boxes are drawn on its images.');
        const regions = body.content.regions.map(({ score: _, ...r }) => r);
        tools.labeling.restoreAnnotations(pane, seriesUid, { regions, measurements: [] }, colorOf);
        changed();
        setMessage(`Added ${regions.length} ${regions.length === 1 ? 'box' : 'boxes'} from ${from}: move, resize or delete them as needed.`);
      } else if (body.content) {
        for (const a of body.content.answers) answer(a.questionId, a.choiceIds, a.seriesInstanceUid);
        setMessage(body.content.answers.length ? `Answered as ${from} did: change the answer if you disagree.` : `${from} gave no answer to take.`);
      }
      setProposalUse((uses) => [...uses.filter((u) => !sameKind(u)), { seriesInstanceUid: seriesUid, proposalId: proposal.id }]);
    },
    /** Loads a DICOM-SEG file as a new version, then reopens the labels from it. */
    importSeg: async (file: File) => {
      if (!view) return;
      if (timer.current) await persist('autosave');
      setSave({ kind: 'saving', reason: 'save' });
      const res = await fetch(`/api/annotations/${view.id}/seg`, { method: 'POST', headers: { 'content-type': 'application/dicom' }, body: file });
      const body = (await res.json()) as { message?: string; warnings?: string[] };
      if (!res.ok) return setSave({ kind: 'error', message: body.message ?? `HTTP ${res.status}` });
      if (body.warnings?.length) window.sessionStorage.setItem(SEG_WARNINGS, body.warnings.join(' '));
      window.location.reload();
    },
    saveNow: () => persist('save'),
    submit: () => persist('submit'),
    undo: () => tools?.labeling.history.undo(),
    redo: () => tools?.labeling.history.redo(),
  };
}

export type Labeling = ReturnType<typeof useLabeling>;
export type { LabelingTool };

/** The label's version history as the server now has it (left as it was if the request fails). */
async function refreshHistory(id: string, setHistory: (history: AnnotationView['history']) => void): Promise<void> {
  const res = await fetch(`/api/annotations/${id}`).catch(() => null);
  if (res?.ok) setHistory(((await res.json()) as Pick<AnnotationView, 'history'>).history);
}

/**
 * Sends again a save of this label copy that never reached the server (the tab closed, the
 * connection dropped), as a draft, if the label has not been saved since; otherwise drops it.
 * Says what happened, and whether the label must be opened again to show it.
 */
async function recoverUnsavedLabels(view: AnnotationView): Promise<{ message: string; reopen: boolean } | null> {
  const kept = unsavedLabels(view.id);
  if (!kept) return null;
  const when = new Date(kept.at).toLocaleString();
  if (!view.canEdit || kept.baseVersion !== view.version) {
    forgetUnsavedLabels(view.id);
    return { message: `A save from ${when} that may not have reached the server was not sent again: the label has been saved since.`, reopen: false };
  }
  const res = await fetch(`/api/annotations/${view.id}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...kept.save, reason: 'autosave' }) });
  if (res.status >= 500) return { message: `Changes from ${when} have not reached the server yet; they will be sent again next time.`, reopen: false };
  forgetUnsavedLabels(view.id);
  if (!res.ok) return { message: `Changes from ${when} that never reached the server could not be recovered: ${((await res.json()) as { message?: string }).message ?? `HTTP ${res.status}`}`, reopen: false };
  return { message: `Recovered your changes from ${when}: they had not reached the server before the page closed.`, reopen: true };
}
