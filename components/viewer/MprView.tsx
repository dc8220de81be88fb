'use client';

import {
  Enums,
  getEnabledElement,
  imageLoader,
  metaData,
  setVolumesForViewports,
  volumeLoader,
  type RenderingEngine,
  type Types,
  type VolumeViewport,
} from '@cornerstonejs/core';
import { useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react';
import { voiRange, windowOf, type WindowPreset } from '@/lib/dicom/window-presets.client';
import { cx } from '@/components/ui/cx';
import { loadSeries, type LoadedSeries } from './load-series';
import type { PaneControls } from './StackPane';
import type { ViewerTools } from './viewer-tools';

const ORIENTATIONS = [
  { axis: Enums.OrientationAxis.AXIAL, label: 'Axial' },
  { axis: Enums.OrientationAxis.SAGITTAL, label: 'Sagittal' },
  { axis: Enums.OrientationAxis.CORONAL, label: 'Coronal' },
] as const;

type MprState =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; series: LoadedSeries; window: { width: number; center: number }; initial: Types.VOIRange; invert: boolean };

/**
 * Multiplanar reconstruction of one series that forms a volume: axial, sagittal and coronal
 * orthographic viewports of one streaming volume, linked by crosshairs, windowed together, with the
 * series' labels (the reader's, or the readers' for a reviewer) shown in all three planes.
 */
export function MprView({
  ref,
  engine,
  tools,
  toolGroupId,
  idPrefix,
  studyUid,
  seriesUid,
  onShown,
}: {
  ref: Ref<PaneControls>;
  engine: RenderingEngine;
  tools: ViewerTools;
  toolGroupId: string;
  idPrefix: string;
  studyUid: string;
  seriesUid: string;
  /** Called for each plane once the volume is shown (labels attach here); returns its undo. */
  onShown?: ((viewportId: string, seriesUid: string, series: LoadedSeries) => (() => void) | undefined) | undefined;
}) {
  const axial = useRef<HTMLDivElement>(null);
  const sagittal = useRef<HTMLDivElement>(null);
  const coronal = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<MprState>({ status: 'loading' });
  const [renders, setRenders] = useState<number[]>([0, 0, 0]);
  const [active, setActive] = useState(0);
  const viewportIds = ORIENTATIONS.map((o) => `${idPrefix}-mpr-${o.axis}`);
  const idsKey = viewportIds.join(',');

  useEffect(() => {
    const ids = idsKey.split(',');
    const elements = [axial.current!, sagittal.current!, coronal.current!];
    ORIENTATIONS.forEach((o, i) =>
      engine.enableElement({
        viewportId: ids[i]!,
        type: Enums.ViewportType.ORTHOGRAPHIC,
        element: elements[i]!,
        defaultOptions: { orientation: o.axis, background: [0, 0, 0] },
      }),
    );
    const group = tools.createViewerToolGroup(toolGroupId, { crosshairs: true });
    for (const id of ids) group.addViewport(id, engine.id);
    const resize = new ResizeObserver(() => engine.resize(true, true));
    const listeners = elements.map((el, i) => {
      const onRendered = () => setRenders((r) => r.map((n, k) => (k === i ? n + 1 : n)));
      const onVoi = (e: Event) => {
        const range = (e as CustomEvent<{ range?: Types.VOIRange }>).detail.range;
        if (range) setState((s) => (s.status === 'ready' ? { ...s, window: windowOf(range) } : s));
      };
      const block = (e: Event) => e.preventDefault();
      resize.observe(el);
      el.addEventListener(Enums.Events.IMAGE_RENDERED, onRendered);
      el.addEventListener(Enums.Events.VOI_MODIFIED, onVoi);
      el.addEventListener('contextmenu', block);
      return () => {
        el.removeEventListener(Enums.Events.IMAGE_RENDERED, onRendered);
        el.removeEventListener(Enums.Events.VOI_MODIFIED, onVoi);
        el.removeEventListener('contextmenu', block);
      };
    });

    let cancelled = false;
    (async () => {
      const series = await loadSeries(studyUid, seriesUid);
      if (!series.isVolume) throw new Error('This series does not form a regular volume (one orientation, even spacing): MPR needs one.');
      const range = await initialWindow(series.imageIds);
      const volumeId = `cornerstoneStreamingImageVolume:cohort-${seriesUid}`;
      const volume = await volumeLoader.createAndCacheVolume(volumeId, { imageIds: series.imageIds });
      if (cancelled) return;
      (volume as { load?: () => void }).load?.();
      await setVolumesForViewports(engine, [{ volumeId }], ids);
      if (cancelled) return;
      for (const id of ids) (engine.getViewport(id) as VolumeViewport).setProperties({ voiRange: range });
      engine.renderViewports(ids);
      setState({ status: 'ready', series, window: windowOf(range), initial: range, invert: false });
    })().catch((err: unknown) => !cancelled && setState({ status: 'error', message: err instanceof Error ? err.message : String(err) }));

    return () => {
      cancelled = true;
      resize.disconnect();
      listeners.forEach((off) => off());
      tools.destroyToolGroup(toolGroupId);
      for (const id of ids) if (!engine.hasBeenDestroyed && getEnabledElement(elements[ids.indexOf(id)]!)) engine.disableElement(id);
    };
  }, [engine, tools, toolGroupId, idsKey, studyUid, seriesUid]);

  const shownSeries = state.status === 'ready' ? state.series : null;
  useEffect(() => {
    if (!shownSeries || !onShown) return;
    const undos = idsKey.split(',').map((id) => onShown(id, seriesUid, shownSeries));
    engine.renderViewports(idsKey.split(','));
    return () => undos.forEach((undo) => undo?.());
  }, [engine, idsKey, seriesUid, shownSeries, onShown]);

  useImperativeHandle(ref, (): PaneControls => {
    const ids = idsKey.split(',');
    const all = () => (state.status === 'ready' && !engine.hasBeenDestroyed ? ids.map((id) => engine.getViewport(id) as VolumeViewport) : []);
    const each = (fn: (v: VolumeViewport) => void) => {
      for (const v of all()) fn(v);
      engine.renderViewports(ids);
    };
    return {
      scroll: (delta) => {
        all()[active]?.scroll(delta);
        engine.renderViewports(ids);
      },
      jump: () => undefined,
      preset: (p: WindowPreset) => each((v) => v.setProperties({ voiRange: voiRange(p) })),
      autoWindow: () => {
        if (state.status === 'ready') each((v) => v.setProperties({ voiRange: state.initial }));
      },
      invert: () => {
        if (state.status !== 'ready') return;
        each((v) => v.setProperties({ invert: !state.invert }));
        setState({ ...state, invert: !state.invert });
      },
      reset: () => each((v) => v.resetCamera()),
      toggleCine: () => undefined,
    };
  }, [engine, idsKey, state, active]);

  const refs = [axial, sagittal, coronal];
  return (
    <div className="grid min-h-0 flex-1 grid-cols-3 gap-px bg-slate-800" data-testid="mpr" data-status={state.status}>
      {ORIENTATIONS.map((o, i) => (
        <div
          key={o.axis}
          className={cx('relative min-h-0 min-w-0 overflow-hidden bg-black outline-2 -outline-offset-2', i === active ? 'outline-sky-500' : 'outline-slate-800')}
          data-testid="mpr-viewport"
          data-orientation={o.axis}
          data-renders={renders[i]}
          onPointerDownCapture={() => setActive(i)}
        >
          <div ref={refs[i]} className="absolute inset-0" />
          <div className="pointer-events-none absolute top-0 left-0 p-2 font-mono text-[11px] text-slate-100 [text-shadow:0_0_3px_black]">{o.label}</div>
          {state.status === 'ready' && (
            <div className="pointer-events-none absolute right-0 bottom-0 p-2 font-mono text-[11px] text-slate-100 [text-shadow:0_0_3px_black]" data-testid="overlay-wl">
              W {state.window.width}  L {state.window.center}
              {state.invert ? '  (inverted)' : ''}
            </div>
          )}
          {i === 0 && state.status === 'loading' && <p className="absolute inset-0 flex items-center justify-center text-sm text-slate-400">Building the volume…</p>}
          {i === 0 && state.status === 'error' && (
            <p className="absolute inset-0 flex items-center justify-center p-6 text-center text-sm text-red-200" data-testid="viewport-error">
              {state.message}
            </p>
          )}
        </div>
      ))}
    </div>
  );
}

/** The series' own window (first usable one of its middle image), or its middle image's pixel range. */
async function initialWindow(imageIds: string[]): Promise<Types.VOIRange> {
  const middle = imageIds[Math.floor(imageIds.length / 2)];
  if (!middle) throw new Error('This series has no images.');
  const voi = metaData.get('voiLutModule', middle) as { windowCenter?: number[]; windowWidth?: number[] } | undefined;
  const center = voi?.windowCenter?.[0];
  const width = voi?.windowWidth?.[0];
  if (center !== undefined && width !== undefined && width >= 1) return voiRange({ width, center });
  const image = await imageLoader.loadAndCacheImage(middle);
  return { lower: image.minPixelValue, upper: image.maxPixelValue };
}
