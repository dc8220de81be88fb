'use client';

import { RenderingEngine } from '@cornerstonejs/core';
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { CT_WINDOW_PRESETS } from '@/lib/dicom/window-presets.client';
import { initCornerstone, loadTools } from './cornerstone';
import { loadSeries, type LoadedSeries } from './load-series';
import { MprView } from './MprView';
import { SeriesPanel } from './SeriesPanel';
import { LabelingPanel } from './labeling/LabelingPanel';
import type { LabelingSetup } from './labeling/labeling-setup';
import { ReviewPanel } from './labeling/ReviewPanel';
import { useLabeling } from './labeling/use-labeling';
import { MAX_SIDE_BY_SIDE, useReview, type Arrangement } from './labeling/use-review';
import { commandForKey, type PrimaryTool, type ViewerCommand } from './shortcuts';
import { ShortcutHelp } from './ShortcutHelp';
import { StackPane, type PaneControls } from './StackPane';
import { ViewerToolbar, type Layout } from './ViewerToolbar';
import { initialSeries, seriesToLabel, type ViewerStudy } from './viewer-study';
import type { ViewerTools } from './viewer-tools';

// Set up as soon as this (browser-only) module is loaded, before React mounts the viewer.
void initCornerstone().catch(() => undefined);

const PANES: Record<Layout, number> = { '1x1': 1, '1x2': 2, '2x2': 4 };
/** A layout and what its panes show, to come back to. */
type PaneArrangement = { layout: Layout; panes: (string | null)[]; active: number };

const VIEWING_TOOLS = new Set<PrimaryTool>(['window', 'pan', 'zoom', 'scroll', 'crosshairs']);
const BRUSH_MM = { min: 1, max: 50 };

/**
 * The study viewer: series panel, 1×1 / 1×2 / 2×2 stack viewports, toolbar and keyboard shortcuts,
 * and, opened from a project (`labeling`), the reader's labeling tools and panel. Client only
 * (Cornerstone3D needs the DOM and WebGL); images come from Cohort's own DICOMweb.
 */
export default function StudyViewer({ study, labeling: labelingSetup = null }: { study: ViewerStudy; labeling?: LabelingSetup | null }) {
  const ids = useId().replaceAll(':', '');
  const engineId = `engine-${ids}`;
  const toolGroupId = `stack-tools-${ids}`;
  /** Labeling, panes showing a series the project does not label join this group: viewing tools only. */
  const viewingGroupId = `${toolGroupId}-viewing`;
  const [engine, setEngine] = useState<RenderingEngine | null>(null);
  const [initError, setInitError] = useState<string | null>(null);
  const viewable = initialSeries(study, labelingSetup?.seriesSelection);
  const toLabel = useMemo(() => seriesToLabel(study, labelingSetup?.seriesSelection ?? null), [study, labelingSetup?.seriesSelection]);
  // Tools load once the first image is drawn (or failed): they are not needed to see it.
  const [wantTools, setWantTools] = useState(viewable.length === 0);
  const [tools, setTools] = useState<ViewerTools | null>(null);
  const [layout, setLayout] = useState<Layout>(viewable.length > 1 ? '1x2' : '1x1');
  const [panes, setPanes] = useState<(string | null)[]>(() => [0, 1, 2, 3].map((i) => viewable[i] ?? null));
  const [activePane, setActivePane] = useState(0);
  const [tool, setTool] = useState<PrimaryTool>('window');
  const [help, setHelp] = useState(false);
  const [maximized, setMaximized] = useState<PaneArrangement | null>(null);
  const [beforeSideBySide, setBeforeSideBySide] = useState<PaneArrangement | null>(null);
  const controls = useRef<(PaneControls | null)[]>([]);
  const mprControls = useRef<PaneControls | null>(null);
  const [mpr, setMpr] = useState(false);
  // Which series form a volume (MPR is offered for those), learnt from their metadata.
  const [volumes, setVolumes] = useState<Record<string, boolean>>({});
  const labeling = useLabeling(labelingSetup?.mode === 'label' ? labelingSetup : null, tools, toolGroupId);
  const review = useReview(labelingSetup, tools);
  const sideBySide = review.arrangement === 'side-by-side';
  // Each pane's hook for the reviewer's overlays: side by side, pane i shows reader i.
  const { attachPane: attachReview } = review;
  const reviewPanes = useMemo(
    () => [0, 1, 2, 3].map((i) => (viewportId: string, seriesUid: string, series: LoadedSeries) => attachReview(i, viewportId, seriesUid, series)),
    [attachReview],
  );

  useEffect(() => {
    let cancelled = false;
    let created: RenderingEngine | undefined;
    initCornerstone()
      .then(() => {
        if (cancelled) return;
        created = new RenderingEngine(engineId);
        setEngine(created);
      })
      .catch((err: unknown) => setInitError(err instanceof Error ? err.message : String(err)));
    return () => {
      cancelled = true;
      created?.destroy();
    };
  }, [engineId]);

  useEffect(() => {
    if (!engine || !wantTools) return;
    let cancelled = false;
    let loaded: ViewerTools | undefined;
    loadTools()
      .then((module) => {
        if (cancelled) return;
        loaded = module;
        module.createViewerToolGroup(toolGroupId, { labeling: labelingSetup !== null });
        if (labelingSetup?.mode === 'label') module.createViewerToolGroup(viewingGroupId);
        setTools(module);
      })
      .catch((err: unknown) => setInitError(err instanceof Error ? err.message : String(err)));
    return () => {
      cancelled = true;
      loaded?.destroyToolGroup(toolGroupId);
      loaded?.destroyToolGroup(viewingGroupId);
    };
  }, [engine, wantTools, toolGroupId, viewingGroupId, labelingSetup]);

  /** Whether a reader may draw on a series: one the project labels, or one their label already holds something on. */
  const drawable = useCallback((uid: string) => !labeling.enabled || toLabel.has(uid) || labeling.labeledSeries.has(uid), [labeling.enabled, labeling.labeledSeries, toLabel]);

  const count = PANES[layout];
  const activeSeries = panes[activePane] ?? null;
  const mprAvailable = activeSeries !== null && volumes[activeSeries] === true && tools !== null;
  useEffect(() => {
    if (!activeSeries || activeSeries in volumes) return;
    loadSeries(study.studyInstanceUid, activeSeries)
      .then((s) => setVolumes((v) => ({ ...v, [activeSeries]: s.isVolume })))
      .catch(() => setVolumes((v) => ({ ...v, [activeSeries]: false })));
  }, [study.studyInstanceUid, activeSeries, volumes]);

  // Side by side, the panes keep to one slice, window and zoom.
  useEffect(() => {
    if (!tools || !engine || !sideBySide) return;
    return tools.linkViewports(`${engineId}-review`, engine.id, Array.from({ length: count }, (_, i) => `${engineId}-pane-${i}`));
  }, [tools, engine, engineId, sideBySide, count]);

  const run = useCallback(
    (command: ViewerCommand) => {
      const pane = mpr ? mprControls.current : controls.current[activePane];
      switch (command.kind) {
        case 'scroll':
          return pane?.scroll(command.delta);
        case 'first':
        case 'last':
          return pane?.jump(command.kind);
        case 'preset': {
          const preset = CT_WINDOW_PRESETS.find((p) => p.id === command.presetId);
          return preset && pane?.preset(preset);
        }
        case 'auto-window':
          return pane?.autoWindow();
        case 'invert':
          return pane?.invert();
        case 'reset':
          return pane?.reset();
        case 'cine':
          return pane?.toggleCine();
        case 'interpolate':
          return labeling.interpolate(activeSeries);
        case 'overlap':
          return labeling.editable && labeling.setOverlap((on) => !on);
        case 'brush-size':
          return labeling.setBrushSize(Math.min(BRUSH_MM.max, Math.max(BRUSH_MM.min, labeling.brushSize + command.delta)));
        case 'tool':
          if (!tools || (command.tool === 'crosshairs' && !mpr)) return;
          // Labeling tools draw on stacks, for a reader whose label is still open.
          if (!VIEWING_TOOLS.has(command.tool) && (mpr || !labeling.editable)) return;
          tools.setPrimaryTool(mpr ? `${toolGroupId}-mpr` : toolGroupId, command.tool);
          // Panes of series not labeled keep the last viewing tool chosen.
          if (!mpr) tools.setPrimaryTool(viewingGroupId, command.tool);
          return setTool(command.tool);
        case 'mpr':
          if (mpr) {
            setMpr(false);
            tools?.setPrimaryTool(toolGroupId, 'window');
            tools?.setPrimaryTool(viewingGroupId, 'window');
            return setTool('window');
          }
          if (!mprAvailable) return;
          setMpr(true);
          return setTool('crosshairs');
        case 'help':
          return setHelp((h) => !h);
      }
    },
    [activePane, activeSeries, toolGroupId, viewingGroupId, mpr, mprAvailable, tools, labeling],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof Element && e.target.closest('input[type="text"], input[type="number"], textarea, select, [contenteditable="true"]')) return;
      if ((e.ctrlKey || e.metaKey) && labeling.editable) {
        const key = e.key.toLowerCase();
        const action = key === 's' ? labeling.saveNow : key === 'y' || (key === 'z' && e.shiftKey) ? labeling.redo : key === 'z' ? labeling.undo : null;
        if (action) {
          e.preventDefault();
          action();
        }
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === 'Escape' && help) return setHelp(false);
      const command = commandForKey(e.key, { labeling: labeling.enabled });
      if (!command) return;
      e.preventDefault();
      run(command);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [run, help, labeling]);

  const changeLayout = (next: Layout) => {
    if (mpr) run({ kind: 'mpr' });
    // Another layout ends a side-by-side comparison (its panes are one per reader).
    if (sideBySide) {
      review.arrange('overlay');
      setBeforeSideBySide(null);
    }
    setMaximized(null);
    setLayout(next);
    // Fill panes that come into view with series not yet shown, in series order.
    setPanes((current) => {
      const shown = new Set(current.slice(0, PANES[layout]).filter(Boolean));
      const unshown = viewable.filter((uid) => !shown.has(uid));
      return current.map((uid, i) => (i < PANES[layout] ? uid : (unshown.shift() ?? uid)));
    });
    setActivePane((a) => (a < PANES[next] ? a : 0));
  };

  const toggleMaximize = (pane: number) => {
    if (sideBySide) return;
    if (maximized) {
      setLayout(maximized.layout);
      setPanes(maximized.panes);
      setActivePane(maximized.active);
      setMaximized(null);
    } else if (count > 1) {
      setMaximized({ layout, panes, active: pane });
      setPanes((current) => [current[pane] ?? null, ...current.filter((_, i) => i !== pane)]);
      setLayout('1x1');
      setActivePane(0);
    }
  };

  const assign = (pane: number, seriesUid: string) => {
    // Side by side, every reader's pane shows the series compared.
    setPanes((current) => current.map((uid, i) => (i === pane || (sideBySide && i < count) ? seriesUid : uid)));
    setActivePane(pane);
  };

  /** Side by side: one linked pane per reader (up to four) on the active series; back: the layout before. */
  const arrange = (next: Arrangement) => {
    if (next === review.arrangement) return;
    if (mpr) run({ kind: 'mpr' });
    if (next === 'side-by-side') {
      const readers = Math.min(MAX_SIDE_BY_SIDE, review.copies?.filter((c) => c.view.saved).length ?? 0);
      const series = activeSeries ?? viewable[0] ?? null;
      setBeforeSideBySide({ layout, panes, active: activePane });
      setMaximized(null);
      setLayout(readers > 2 ? '2x2' : '1x2');
      setPanes([0, 1, 2, 3].map(() => series));
      setActivePane(0);
    } else if (beforeSideBySide) {
      setLayout(beforeSideBySide.layout);
      setPanes(beforeSideBySide.panes);
      setActivePane(beforeSideBySide.active);
      setBeforeSideBySide(null);
    }
    review.arrange(next);
  };

  const seriesLabel = (uid: string | null) => {
    const s = study.series.find((x) => x.seriesInstanceUid === uid);
    return s ? [s.number !== null ? `Se ${s.number}` : null, s.modality, s.description].filter(Boolean).join(' · ') : '';
  };

  return (
    <div className="flex h-full min-h-0 flex-col bg-slate-950 text-slate-100" data-testid="study-viewer" data-ready={engine !== null} data-tools-ready={tools !== null}>
      <ViewerToolbar layout={mpr ? null : layout} tool={tool} toolsReady={tools !== null} mpr={mpr} mprAvailable={mprAvailable} onLayout={changeLayout} onCommand={run} />
      <div className="flex min-h-0 flex-1 flex-col-reverse sm:flex-row">
        <SeriesPanel
          studyUid={study.studyInstanceUid}
          series={study.series}
          selection={labelingSetup?.seriesSelection ?? null}
          toLabel={toLabel}
          shown={panes.slice(0, count)}
          onPick={(uid) => assign(activePane, uid)}
        />
        {engine && tools && mpr && activeSeries && (
          <MprView
            ref={mprControls}
            engine={engine}
            tools={tools}
            toolGroupId={`${toolGroupId}-mpr`}
            idPrefix={engineId}
            studyUid={study.studyInstanceUid}
            seriesUid={activeSeries}
            onShown={labeling.enabled ? (drawable(activeSeries) ? labeling.attachPane : undefined) : review.enabled ? reviewPanes[0] : undefined}
          />
        )}
        <main
          className={`grid min-h-0 flex-1 gap-px bg-slate-800 ${count === 1 ? 'grid-cols-1' : 'grid-cols-2'} ${count === 4 ? 'grid-rows-2' : 'grid-rows-1'}`}
          hidden={mpr}
        >
          {initError && <p className="p-6 text-sm text-red-300">The viewer could not start: {initError}</p>}
          {engine &&
            panes.slice(0, count).map((uid, i) => (
              <StackPane
                key={i}
                ref={(c) => {
                  controls.current[i] = c;
                }}
                engine={engine}
                tools={tools}
                toolGroupId={!uid || drawable(uid) ? toolGroupId : viewingGroupId}
                viewportId={`${engineId}-pane-${i}`}
                studyUid={study.studyInstanceUid}
                series={uid ? { seriesInstanceUid: uid, label: seriesLabel(uid) } : null}
                overlay={{ patient: study.patient, patientId: study.patientId, study: study.description, studyDate: study.date }}
                active={i === activePane}
                onActivate={() => setActivePane(i)}
                onDropSeries={(s) => assign(i, s)}
                onToggleMaximize={() => toggleMaximize(i)}
                onSettled={() => setWantTools(true)}
                onShown={labeling.enabled ? (uid && drawable(uid) ? labeling.attachPane : undefined) : review.enabled ? reviewPanes[i] : undefined}
                caption={sideBySide ? (review.copies?.filter((c) => c.view.saved)[i]?.readerName ?? null) : uid && !drawable(uid) ? 'Not labeled in this project' : null}
              />
            ))}
        </main>
        {labeling.enabled && <LabelingPanel labeling={labeling} tool={tool} activeSeries={activeSeries} drawable={activeSeries !== null && drawable(activeSeries)} onTool={(t) => run({ kind: 'tool', tool: t })} onInterpolate={() => run({ kind: 'interpolate' })} />}
        {review.enabled && <ReviewPanel review={review} onArrange={arrange} />}
      </div>
      {help && <ShortcutHelp labeling={labeling.enabled} onClose={() => setHelp(false)} />}
    </div>
  );
}
