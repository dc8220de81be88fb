import { CT_WINDOW_PRESETS } from '@/lib/dicom/window-presets.client';

export type ViewerCommand =
  | { kind: 'scroll'; delta: number }
  | { kind: 'first' }
  | { kind: 'last' }
  | { kind: 'preset'; presetId: string }
  | { kind: 'auto-window' }
  | { kind: 'invert' }
  | { kind: 'reset' }
  | { kind: 'cine' }
  | { kind: 'tool'; tool: PrimaryTool }
  | { kind: 'mpr' }
  | { kind: 'brush-size'; delta: number }
  | { kind: 'interpolate' }
  | { kind: 'overlap' }
  | { kind: 'help' };

export type ViewingTool = 'window' | 'pan' | 'zoom' | 'scroll' | 'crosshairs';
export type LabelingTool = 'brush' | 'eraser' | 'threshold' | 'fill' | 'scissors' | 'box' | 'polygon' | 'length' | 'angle';
export type PrimaryTool = ViewingTool | LabelingTool;

/** `labeling`: only when the viewer is opened to label (from a project). */
export type Shortcut = { keys: string[]; label: string; command: ViewerCommand; labeling?: boolean };

/** The viewer's keyboard map: the help panel lists it and the key handler reads it, so they agree. */
export const SHORTCUTS: readonly Shortcut[] = [
  { keys: ['ArrowDown', 'ArrowRight'], label: 'Next image', command: { kind: 'scroll', delta: 1 } },
  { keys: ['ArrowUp', 'ArrowLeft'], label: 'Previous image', command: { kind: 'scroll', delta: -1 } },
  { keys: ['PageDown'], label: '10 images forward', command: { kind: 'scroll', delta: 10 } },
  { keys: ['PageUp'], label: '10 images back', command: { kind: 'scroll', delta: -10 } },
  { keys: ['Home'], label: 'First image', command: { kind: 'first' } },
  { keys: ['End'], label: 'Last image', command: { kind: 'last' } },
  ...CT_WINDOW_PRESETS.map((preset, i) => ({
    keys: [String(i + 1)],
    label: `Window: ${preset.label} (W ${preset.width} L ${preset.center})`,
    command: { kind: 'preset', presetId: preset.id } as const,
  })),
  { keys: ['0'], label: 'Window: auto (the image’s own)', command: { kind: 'auto-window' } },
  { keys: ['i'], label: 'Invert', command: { kind: 'invert' } },
  { keys: ['r'], label: 'Reset zoom, pan and window', command: { kind: 'reset' } },
  { keys: ['c'], label: 'Play / stop cine', command: { kind: 'cine' } },
  { keys: ['w'], label: 'Left drag: window/level', command: { kind: 'tool', tool: 'window' } },
  { keys: ['p'], label: 'Left drag: pan', command: { kind: 'tool', tool: 'pan' } },
  { keys: ['z'], label: 'Left drag: zoom', command: { kind: 'tool', tool: 'zoom' } },
  { keys: ['s'], label: 'Left drag: scroll', command: { kind: 'tool', tool: 'scroll' } },
  { keys: ['x'], label: 'Left drag: crosshairs (MPR)', command: { kind: 'tool', tool: 'crosshairs' } },
  { keys: ['m'], label: 'MPR: axial, sagittal and coronal of the active series (again: back)', command: { kind: 'mpr' } },
  { keys: ['?', 'h'], label: 'Show / hide this help', command: { kind: 'help' } },
  ...(
    [
      ['b', 'brush', 'Left drag: paint the active segment'],
      ['e', 'eraser', 'Left drag: erase'],
      ['t', 'threshold', 'Left drag: paint only pixels in the threshold range'],
      ['f', 'fill', 'Click: fill the region under the cursor'],
      ['k', 'scissors', 'Left drag: fill a rectangle with the active segment'],
      ['q', 'box', 'Left drag: draw a box of the chosen region class'],
      ['y', 'polygon', 'Left drag: draw a freehand polygon of the chosen region class'],
      ['l', 'length', 'Left drag: measure a length'],
      ['a', 'angle', 'Clicks: measure an angle'],
    ] as const
  ).map(([key, tool, label]) => ({ keys: [key], label, command: { kind: 'tool', tool } as const, labeling: true })),
  { keys: ['j'], label: 'Interpolate the active segment between the slices you drew it on', command: { kind: 'interpolate' }, labeling: true },
  { keys: ['o'], label: 'Segments may overlap: painting over another segment keeps both (again: off)', command: { kind: 'overlap' }, labeling: true },
  { keys: [']'], label: 'Larger brush', command: { kind: 'brush-size', delta: 1 }, labeling: true },
  { keys: ['['], label: 'Smaller brush', command: { kind: 'brush-size', delta: -1 }, labeling: true },
];

/** Labeling's Ctrl (⌘) shortcuts, listed in the help; the viewer handles them before SHORTCUTS. */
export const CTRL_SHORTCUTS: readonly { keys: string; label: string }[] = [
  { keys: 'Ctrl+Z', label: 'Undo the last stroke, cut or drawing' },
  { keys: 'Ctrl+Y / Ctrl+Shift+Z', label: 'Redo' },
  { keys: 'Ctrl+S', label: 'Save a version of your labels' },
];

/** Mouse bindings that hold whichever tool the left button has. */
export const MOUSE_HELP: readonly { keys: string; label: string }[] = [
  { keys: 'Wheel', label: 'Scroll through the stack' },
  { keys: 'Middle drag', label: 'Pan' },
  { keys: 'Right drag', label: 'Zoom' },
  { keys: 'Double-click', label: 'Make the viewport the only one (again: back)' },
];

export function commandForKey(key: string, { labeling = false } = {}): ViewerCommand | undefined {
  const normalized = key.length === 1 ? key.toLowerCase() : key;
  return SHORTCUTS.find((s) => s.keys.includes(normalized) && (labeling || !s.labeling))?.command;
}

const KEY_LABELS: Record<string, string> = {
  ArrowDown: '↓',
  ArrowUp: '↑',
  ArrowLeft: '←',
  ArrowRight: '→',
  PageDown: 'PgDn',
  PageUp: 'PgUp',
};

export const keyLabel = (key: string) => KEY_LABELS[key] ?? (key.length === 1 ? key.toUpperCase() : key);
