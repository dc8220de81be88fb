'use client';

import { CT_WINDOW_PRESETS } from '@/lib/dicom/window-presets.client';
import { cx } from '@/components/ui/cx';
import type { PrimaryTool, ViewerCommand } from './shortcuts';

export type Layout = '1x1' | '1x2' | '2x2';

const TOOLS: { tool: PrimaryTool; label: string; key: string; mprOnly?: boolean }[] = [
  { tool: 'crosshairs', label: 'Crosshairs', key: 'X', mprOnly: true },
  { tool: 'window', label: 'W/L', key: 'W' },
  { tool: 'pan', label: 'Pan', key: 'P' },
  { tool: 'zoom', label: 'Zoom', key: 'Z' },
  { tool: 'scroll', label: 'Scroll', key: 'S' },
];

const LAYOUTS: Layout[] = ['1x1', '1x2', '2x2'];

/** Layout, left-button tool, window presets and view commands; each names its shortcut. */
export function ViewerToolbar({
  layout,
  tool,
  toolsReady,
  mpr,
  mprAvailable,
  onLayout,
  onCommand,
}: {
  /** Null while MPR replaces the layout. */
  layout: Layout | null;
  tool: PrimaryTool;
  /** Mouse tools and cine arrive just after the first image. */
  toolsReady: boolean;
  mpr: boolean;
  mprAvailable: boolean;
  onLayout: (layout: Layout) => void;
  onCommand: (command: ViewerCommand) => void;
}) {
  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-1 border-b border-slate-800 px-2 py-1.5 text-sm sm:px-3 sm:py-2" role="toolbar" aria-label="Viewer tools">
      <Group label="Layout">
        {LAYOUTS.map((l) => (
          <ToolButton key={l} pressed={layout === l} onClick={() => onLayout(l)} title={`Layout ${l.replace('x', ' × ')}`}>
            {l.replace('x', '×')}
          </ToolButton>
        ))}
        <ToolButton
          pressed={mpr}
          disabled={!mpr && !mprAvailable}
          onClick={() => onCommand({ kind: 'mpr' })}
          title={mpr || mprAvailable ? 'Axial, sagittal and coronal of the active series (M)' : 'MPR needs a series that forms a volume'}
        >
          MPR
        </ToolButton>
      </Group>
      <Group label="Left button">
        {TOOLS.filter((t) => mpr || !t.mprOnly).map((t) => (
          <ToolButton key={t.tool} pressed={tool === t.tool} disabled={!toolsReady} onClick={() => onCommand({ kind: 'tool', tool: t.tool })} title={`${t.label} (${t.key})`}>
            {t.label}
          </ToolButton>
        ))}
      </Group>
      <Group label="Window">
        {CT_WINDOW_PRESETS.map((p, i) => (
          <ToolButton key={p.id} onClick={() => onCommand({ kind: 'preset', presetId: p.id })} title={`${p.label}: W ${p.width} L ${p.center} (${i + 1})`}>
            {p.label}
          </ToolButton>
        ))}
        <ToolButton onClick={() => onCommand({ kind: 'auto-window' })} title="The image’s own window (0)">
          Auto
        </ToolButton>
      </Group>
      <Group label="View">
        <ToolButton onClick={() => onCommand({ kind: 'invert' })} title="Invert (I)">
          Invert
        </ToolButton>
        <ToolButton onClick={() => onCommand({ kind: 'reset' })} title="Reset (R)">
          Reset
        </ToolButton>
        <ToolButton disabled={!toolsReady} onClick={() => onCommand({ kind: 'cine' })} title="Play / stop cine (C)">
          Cine
        </ToolButton>
      </Group>
      <button
        type="button"
        className="ml-auto hidden rounded px-2 py-1 text-slate-300 hover:bg-slate-800 sm:inline-block"
        onClick={() => onCommand({ kind: 'help' })}
        title="Keyboard shortcuts (?)"
      >
        Shortcuts <kbd className="ml-1 rounded border border-slate-600 px-1 text-xs">?</kbd>
      </button>
    </div>
  );
}

function Group({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="flex items-center gap-1" role="group" aria-label={label}>
      {/* Phones: no room for group names; the buttons say what they do. */}
      <span className="mr-1 hidden text-xs text-slate-500 uppercase sm:inline">{label}</span>
      {children}
    </div>
  );
}

function ToolButton({
  pressed,
  disabled,
  onClick,
  title,
  children,
}: {
  pressed?: boolean;
  disabled?: boolean;
  onClick: () => void;
  title: string;
  children: React.ReactNode;
}) {
  return (
    <button
      type="button"
      title={title}
      aria-pressed={pressed}
      disabled={disabled}
      onClick={onClick}
      className={cx('rounded px-2 py-1 disabled:text-slate-600', pressed ? 'bg-sky-600 text-white' : 'text-slate-200 hover:bg-slate-800 disabled:hover:bg-transparent')}
    >
      {children}
    </button>
  );
}
