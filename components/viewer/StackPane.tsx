'use client';

import { Enums, eventTarget, getEnabledElement, type RenderingEngine, type StackViewport, type Types } from '@cornerstonejs/core';
import { useEffect, useImperativeHandle, useMemo, useRef, useState, type Ref } from 'react';
import { sliceLocation } from '@/lib/dicom/stack-order.client';
import { voiRange, windowOf, type WindowPreset } from '@/lib/dicom/window-presets.client';
import { cx } from '@/components/ui/cx';
import { loadSeries, type LoadedSeries } from './load-series';
import type { ViewerTools } from './viewer-tools';
import { ViewportOverlay, type OverlayText } from './ViewportOverlay';

export type PaneControls = {
  scroll(delta: number): void;
  jump(to: 'first' | 'last'): void;
  preset(preset: WindowPreset): void;
  autoWindow(): void;
  invert(): void;
  reset(): void;
  toggleCine(): void;
};

export type PaneSeries = { seriesInstanceUid: string; label: string };

type Shown = { status: 'ready'; seriesUid: string; series: LoadedSeries; index: number; window: { width: number; center: number } | null; zoom: number; invert: boolean; cine: boolean };
/** `imageCount` > 1: other images of the series may be readable (scrolling to one recovers). */
type Failed = { status: 'error'; seriesUid: string; message: string; imageCount: number };
type PaneState = { status: 'empty' } | { status: 'loading' } | Shown | Failed;

export const SERIES_DRAG_TYPE = 'application/x-cohort-series';
const CINE_FPS = 20;
const FIRST_IMAGE_MARK = 'cohort:first-image';

/**
 * One stack viewport: a series from Cohort's WADO-RS drawn by Cornerstone3D, its overlay text, and
 * a clear message instead of a blank canvas when the series cannot be shown.
 */
export function StackPane({
  ref,
  engine,
  tools,
  toolGroupId,
  viewportId,
  studyUid,
  series,
  overlay,
  active,
  onActivate,
  onDropSeries,
  onToggleMaximize,
  onSettled,
  onShown,
  caption = null,
}: {
  ref: Ref<PaneControls>;
  engine: RenderingEngine;
  /** Null until the viewer has loaded them (after the first image). */
  tools: ViewerTools | null;
  toolGroupId: string;
  viewportId: string;
  studyUid: string;
  series: PaneSeries | null;
  overlay: Omit<OverlayText, 'series' | 'image' | 'location' | 'window' | 'zoom'>;
  active: boolean;
  onActivate: () => void;
  onDropSeries: (seriesUid: string) => void;
  onToggleMaximize: () => void;
  /** Called when the pane first drew an image or failed to. */
  onSettled: () => void;
  /** Called once a series is shown and the tools are loaded (labeling attaches here); returns its undo. */
  onShown?: ((viewportId: string, seriesUid: string, series: LoadedSeries) => (() => void) | undefined) | undefined;
  /** Whose labels the pane shows, when panes compare readers. */
  caption?: string | null;
}) {
  const element = useRef<HTMLDivElement>(null);
  const [outcome, setOutcome] = useState<Shown | Failed | null>(null);
  const [renders, setRenders] = useState(0);
  const [dropping, setDropping] = useState(false);
  const onSettledRef = useRef(onSettled);
  const toolsRef = useRef(tools);
  useEffect(() => {
    onSettledRef.current = onSettled;
    toolsRef.current = tools;
  });

  // The viewport lives as long as the pane; effects undo what they set up.
  useEffect(() => {
    const el = element.current!;
    engine.enableElement({ viewportId, type: Enums.ViewportType.STACK, element: el, defaultOptions: { background: [0, 0, 0] } });
    const resize = new ResizeObserver(() => engine.resize(true, true));
    resize.observe(el);
    const block = (e: Event) => e.preventDefault();
    el.addEventListener('contextmenu', block);
    return () => {
      resize.disconnect();
      el.removeEventListener('contextmenu', block);
      // This cleanup runs before the others on unmount: stop what works on the element first.
      if (toolsRef.current && getEnabledElement(el)) {
        toolsRef.current.cine.stopClip(el);
        toolsRef.current.stackPrefetch.disable(el);
      }
      // The viewer may have torn the engine down already (its cleanup can run first).
      if (!engine.hasBeenDestroyed) engine.disableElement(viewportId);
    };
  }, [engine, viewportId]);

  // Mouse tools come with the tools module, after the first image.
  useEffect(() => {
    if (!tools) return;
    tools.joinToolGroup(toolGroupId, viewportId, engine.id);
    return () => tools.leaveToolGroup(toolGroupId, viewportId, engine.id);
  }, [tools, engine, toolGroupId, viewportId]);

  const seriesUid = series?.seriesInstanceUid ?? null;
  // What the pane shows follows the series asked for; an outcome for an earlier series is stale.
  const state: PaneState = useMemo(
    () => (!seriesUid ? { status: 'empty' } : outcome?.seriesUid === seriesUid ? outcome : { status: 'loading' }),
    [seriesUid, outcome],
  );

  useEffect(() => {
    const el = element.current!;
    const viewport = engine.getViewport(viewportId) as StackViewport | undefined;
    if (!viewport || !seriesUid) return;
    let cancelled = false;

    // A failed image load is reported by event while setStack still resolves: the failure wins.
    let failed = false;
    let loaded: LoadedSeries | null = null;
    const fail = (message: string) => {
      failed = true;
      if (cancelled) return;
      setOutcome({ status: 'error', seriesUid, message, imageCount: loaded?.imageIds.length ?? 0 });
      onSettledRef.current();
    };
    const showReady = (series: LoadedSeries) => {
      const properties = viewport.getProperties();
      setOutcome({
        status: 'ready',
        seriesUid,
        series,
        index: viewport.getCurrentImageIdIndex(),
        window: properties.voiRange ? windowOf(properties.voiRange) : null,
        zoom: viewport.getZoom(),
        invert: properties.invert ?? false,
        cine: false,
      });
    };
    const update = (patch: Partial<Shown>) => setOutcome((s) => (s?.status === 'ready' && s.seriesUid === seriesUid ? { ...s, ...patch } : s));
    const onNewImage = () => update({ index: viewport.getCurrentImageIdIndex() });
    const onVoi = (e: Event) => {
      const range = (e as CustomEvent<{ range?: Types.VOIRange }>).detail.range;
      if (range) update({ window: windowOf(range) });
    };
    const onCamera = () => update({ zoom: viewport.getZoom() });
    const onRendered = () => {
      // An unreadable image was shown before: the one drawn now (scrolled to) is readable again.
      if (failed && loaded && !cancelled) {
        failed = false;
        showReady(loaded);
      }
      // Time to first image, for anyone reading user timing (RUM, bench/viewer.bench.ts).
      if (performance.getEntriesByName(FIRST_IMAGE_MARK).length === 0) performance.mark(FIRST_IMAGE_MARK);
      setRenders((n) => n + 1);
      onSettledRef.current();
    };
    const onLoadError = (e: Event) => {
      const detail = (e as CustomEvent<{ imageId?: string; error?: unknown }>).detail;
      // Only the image asked to be shown: a prefetch failing on another slice must not blank a readable series.
      if (detail?.imageId && detail.imageId === viewport.getImageIds()[viewport.getTargetImageIdIndex()]) fail(describeLoadError(detail.error));
    };
    el.addEventListener(Enums.Events.STACK_NEW_IMAGE, onNewImage);
    el.addEventListener(Enums.Events.VOI_MODIFIED, onVoi);
    el.addEventListener(Enums.Events.CAMERA_MODIFIED, onCamera);
    el.addEventListener(Enums.Events.IMAGE_RENDERED, onRendered);
    eventTarget.addEventListener(Enums.Events.IMAGE_LOAD_ERROR, onLoadError);

    (async () => {
      const series = await loadSeries(studyUid, seriesUid);
      loaded = series;
      if (cancelled) return;
      const start = Math.floor(series.imageIds.length / 2);
      await viewport.setStack(series.imageIds, start);
      if (cancelled || failed) return;
      viewport.render();
      showReady(series);
    })().catch((err: unknown) => fail(describeLoadError(err)));

    return () => {
      cancelled = true;
      el.removeEventListener(Enums.Events.STACK_NEW_IMAGE, onNewImage);
      el.removeEventListener(Enums.Events.VOI_MODIFIED, onVoi);
      el.removeEventListener(Enums.Events.CAMERA_MODIFIED, onCamera);
      el.removeEventListener(Enums.Events.IMAGE_RENDERED, onRendered);
      eventTarget.removeEventListener(Enums.Events.IMAGE_LOAD_ERROR, onLoadError);
    };
  }, [engine, viewportId, studyUid, seriesUid]);

  // The rest of the stack loads in the background once the first image is shown (and tools are here).
  const shownSeries = state.status === 'ready' ? state.seriesUid : null;
  useEffect(() => {
    const el = element.current!;
    if (!tools || !shownSeries || !getEnabledElement(el)) return;
    tools.stackPrefetch.enable(el);
    return () => {
      if (getEnabledElement(el)) {
        tools.cine.stopClip(el);
        tools.stackPrefetch.disable(el);
      }
    };
  }, [tools, shownSeries]);

  const shownData = state.status === 'ready' ? state.series : null;
  useEffect(() => {
    if (!tools || !shownSeries || !shownData || !onShown) return;
    return onShown(viewportId, shownSeries, shownData);
  }, [tools, shownSeries, shownData, onShown, viewportId]);

  useImperativeHandle(ref, (): PaneControls => {
    const setState = (update: (s: Shown) => Shown) => setOutcome((s) => (s?.status === 'ready' ? update(s) : s));
    const viewport = () => (state.status === 'ready' ? (engine.getViewport(viewportId) as StackViewport | undefined) : undefined);
    const apply = (fn: (v: StackViewport) => void) => {
      const v = viewport();
      if (!v) return;
      fn(v);
      v.render();
    };
    return {
      scroll: (delta) => apply((v) => v.scroll(delta)),
      jump: (to) => apply((v) => void v.setImageIdIndex(to === 'first' ? 0 : v.getImageIds().length - 1)),
      preset: (p) => apply((v) => v.setProperties({ voiRange: voiRange(p) })),
      autoWindow: () =>
        apply((v) => {
          const { invert } = v.getProperties();
          v.resetProperties();
          v.setProperties({ invert });
        }),
      invert: () =>
        apply((v) => {
          const invert = !v.getProperties().invert;
          v.setProperties({ invert });
          setState((s) => ({ ...s, invert }));
        }),
      reset: () =>
        apply((v) => {
          v.resetCamera();
          v.resetProperties();
          setState((s) => ({ ...s, invert: false }));
        }),
      toggleCine: () => {
        const el = element.current;
        if (!el || !tools || state.status !== 'ready') return;
        if (state.cine) tools.cine.stopClip(el);
        else tools.cine.playClip(el, { framesPerSecond: CINE_FPS, loop: true });
        setState((s) => ({ ...s, cine: !state.cine }));
      },
    };
  }, [engine, viewportId, state, tools]);

  const ready = state.status === 'ready' ? state : null;
  const image = ready ? ready.series.images[ready.index] : undefined;
  const location = image && ready ? sliceLocation(image, ready.series.normal) : null;

  return (
    <div
      className={cx(
        'relative min-h-0 min-w-0 overflow-hidden bg-black outline-2 -outline-offset-2',
        active ? 'outline-sky-500' : 'outline-slate-800',
        dropping && 'outline-amber-400',
      )}
      data-testid="viewport"
      data-active={active}
      data-status={state.status}
      data-series={seriesUid ?? ''}
      data-image-index={ready?.index ?? ''}
      data-image-count={ready?.series.imageIds.length ?? ''}
      data-renders={renders}
      data-invert={ready?.invert ?? false}
      onPointerDownCapture={onActivate}
      onDoubleClick={onToggleMaximize}
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes(SERIES_DRAG_TYPE)) return;
        e.preventDefault();
        setDropping(true);
      }}
      onDragLeave={() => setDropping(false)}
      onDrop={(e) => {
        setDropping(false);
        const uid = e.dataTransfer.getData(SERIES_DRAG_TYPE);
        if (uid) {
          e.preventDefault();
          onDropSeries(uid);
        }
      }}
    >
      <div ref={element} className="absolute inset-0" data-testid="viewport-element" />
      {caption && (
        <p className="pointer-events-none absolute bottom-2 left-1/2 -translate-x-1/2 rounded bg-slate-900/80 px-2 py-0.5 text-xs font-semibold text-sky-200" data-testid="viewport-caption">
          {caption}
        </p>
      )}
      {ready && (
        <ViewportOverlay
          text={{
            ...overlay,
            series: series?.label ?? '',
            image: `Im ${ready.index + 1} / ${ready.series.imageIds.length}${image && isMultiFrame(image.instance) ? ` (frame ${image.frame})` : ''}`,
            location: location === null ? '' : `Loc ${location.toFixed(1)} mm`,
            window: ready.window ? `W ${ready.window.width}  L ${ready.window.center}${ready.invert ? '  (inverted)' : ''}` : '',
            zoom: `Zoom ${ready.zoom.toFixed(2)}×${ready.cine ? `  ▶ ${CINE_FPS} fps` : ''}`,
          }}
        />
      )}
      {state.status === 'empty' && <PaneMessage>Drag a series here, or pick one on the left.</PaneMessage>}
      {state.status === 'loading' && <PaneMessage>Loading {series?.label}…</PaneMessage>}
      {state.status === 'error' && (
        <PaneMessage tone="error">
          <span className="block font-semibold">This series cannot be displayed.</span>
          <span className="mt-1 block" data-testid="viewport-error">
            {state.message}
          </span>
          {state.imageCount > 1 && <span className="mt-1 block text-xs text-red-200">Scroll with the wheel to try its other {state.imageCount - 1} images.</span>}
        </PaneMessage>
      )}
    </div>
  );
}

function PaneMessage({ children, tone }: { children: React.ReactNode; tone?: 'error' }) {
  return (
    <div className="pointer-events-none absolute inset-0 flex items-center justify-center p-6 text-center">
      <p className={cx('max-w-sm rounded-md px-4 py-3 text-sm', tone === 'error' ? 'bg-red-950/80 text-red-100' : 'text-slate-400')}>{children}</p>
    </div>
  );
}

/** What went wrong, in words: loader errors are Errors, XHR failures (with the server's reason, when it gave one) or decoder objects. */
function describeLoadError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (error && typeof error === 'object') {
    const e = error as { message?: unknown; status?: unknown; error?: unknown; request?: { status?: number } };
    if (typeof e.message === 'string') return e.message;
    const reason = serverReason(error);
    if (reason) return reason;
    const status = typeof e.status === 'number' ? e.status : e.request?.status;
    if (status) return `The server answered HTTP ${status} for an image.`;
    if (e.error) return describeLoadError(e.error);
  }
  return typeof error === 'string' && error ? error : 'An image could not be decoded.';
}

/** The reason in Cohort's JSON error body of a refused frame request (a video ffmpeg cannot decode, say). */
function serverReason(error: object): string | null {
  const xhr = error as { response?: unknown; getResponseHeader?: (name: string) => string | null };
  if (!(xhr.response instanceof ArrayBuffer) || !xhr.getResponseHeader?.('content-type')?.includes('json')) return null;
  try {
    const body = JSON.parse(new TextDecoder().decode(xhr.response)) as { message?: unknown };
    return typeof body.message === 'string' ? body.message : null;
  } catch {
    return null;
  }
}

/** Whether an instance holds several frames (a cine loop, a video, an enhanced multi-frame): the overlay then names the frame. */
function isMultiFrame(instance: Record<string, { Value?: unknown[] } | undefined>): boolean {
  return Number(instance['00280008']?.Value?.[0] ?? 1) > 1;
}
