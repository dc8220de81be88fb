/**
 * Everything the viewer takes from @cornerstonejs/tools, in one module the viewer imports only
 * dynamically (see loadTools in cornerstone.ts): a megabyte of script that need not run before the
 * first image is drawn.
 */
import { getEnabledElements, utilities as csUtils } from '@cornerstonejs/core';
import {
  addTool,
  BrushTool,
  init as toolsInit,
  CrosshairsTool,
  Enums,
  PanTool,
  RectangleScissorsTool,
  StackScrollTool,
  state,
  store,
  synchronizers,
  SynchronizerManager,
  ToolGroupManager,
  utilities,
  WindowLevelTool,
  ZoomTool,
} from '@cornerstonejs/tools';
import { ScopedAngleTool, ScopedLengthTool, ScopedPlanarFreehandROITool, ScopedRectangleROITool } from './labeling/pane-scoped-tools';
import { UndoablePaintFillTool } from './labeling/undoable-paint-fill';
import type { PrimaryTool } from './shortcuts';

export const { cine, stackPrefetch } = utilities;
export * as labeling from './labeling/labeling-tools';

const { MouseBindings } = Enums;

const PRIMARY: Record<PrimaryTool, string> = {
  window: WindowLevelTool.toolName,
  pan: PanTool.toolName,
  zoom: ZoomTool.toolName,
  scroll: StackScrollTool.toolName,
  crosshairs: CrosshairsTool.toolName,
  brush: 'CohortBrush',
  eraser: 'CohortEraser',
  threshold: 'CohortThresholdBrush',
  fill: UndoablePaintFillTool.toolName,
  scissors: RectangleScissorsTool.toolName,
  box: ScopedRectangleROITool.toolName,
  polygon: ScopedPlanarFreehandROITool.toolName,
  length: ScopedLengthTool.toolName,
  angle: ScopedAngleTool.toolName,
};

/** Brush tools are one Cornerstone tool with three strategies, added as named instances. */
const BRUSHES: [string, string][] = [
  [PRIMARY.brush, 'FILL_INSIDE_CIRCLE'],
  [PRIMARY.eraser, 'ERASE_INSIDE_CIRCLE'],
  [PRIMARY.threshold, 'THRESHOLD_INSIDE_CIRCLE'],
];
const LABELING_TOOLS = [UndoablePaintFillTool, RectangleScissorsTool, ScopedRectangleROITool, ScopedPlanarFreehandROITool, ScopedLengthTool, ScopedAngleTool];
/** Undo steps kept (brush strokes, cuts, regions): the ring is shared by all panes. */
const HISTORY_SIZE = 100;

/** Held whatever the left button does: middle drag pans, right drag zooms, the wheel scrolls. */
const FIXED_BINDINGS: [string, number][] = [
  [PanTool.toolName, MouseBindings.Auxiliary],
  [ZoomTool.toolName, MouseBindings.Secondary],
  [StackScrollTool.toolName, MouseBindings.Wheel],
];

/**
 * The tools' configuration: Cornerstone keeps this very object (init stores it, tools read it on each
 * stroke), so letting segments overlap is a field set here. Absent, a stroke overwrites other segments.
 */
const TOOLS_CONFIG: { segmentation?: { overwriteMode: 'none' } } = {};

export function initTools() {
  toolsInit(TOOLS_CONFIG as Parameters<typeof toolsInit>[0]);
  for (const tool of [WindowLevelTool, PanTool, ZoomTool, StackScrollTool, CrosshairsTool, BrushTool, ...LABELING_TOOLS]) addTool(tool);
  // Setting the size clears the history, so once, here.
  csUtils.HistoryMemo.DefaultHistoryMemo.size = HISTORY_SIZE;
  // Tools hook their mouse and wheel listeners onto elements as they are enabled: the viewports
  // that already show their first image were enabled before, so hook those now.
  for (const { viewport } of getEnabledElements()) {
    if (state.enabledElements.includes(viewport.element)) continue;
    store.addEnabledElement(new CustomEvent('elementenabled', { detail: { element: viewport.element, viewportId: viewport.id, renderingEngineId: viewport.renderingEngineId } }));
  }
}

/**
 * A viewer tool group, bound as on a PACS workstation: wheel scrolls, middle drag pans, right drag
 * zooms, and the left button does what the toolbar (or its key) chose. MPR groups add crosshairs;
 * labeling groups the brushes, scissors, fill, regions and measurements.
 */
export function createViewerToolGroup(id: string, { crosshairs = false, labeling = false } = {}) {
  ToolGroupManager.destroyToolGroup(id);
  const group = ToolGroupManager.createToolGroup(id);
  if (!group) throw new Error(`Tool group ${id} could not be created.`);
  for (const name of [WindowLevelTool, PanTool, ZoomTool, StackScrollTool].map((t) => t.toolName)) group.addTool(name);
  if (crosshairs) group.addTool(CrosshairsTool.toolName);
  if (labeling) {
    for (const [name, activeStrategy] of BRUSHES) group.addToolInstance(name, BrushTool.toolName, { activeStrategy, threshold: { range: [-100, 200], isDynamic: false } });
    for (const tool of LABELING_TOOLS) group.addTool(tool.toolName);
  }
  setPrimaryTool(id, crosshairs ? 'crosshairs' : 'window');
  return group;
}

/** Gives the left button to `tool` (when the group has it), keeping the wheel, middle and right bindings. */
export function setPrimaryTool(groupId: string, tool: PrimaryTool) {
  const group = ToolGroupManager.getToolGroup(groupId);
  if (!group?.hasTool(PRIMARY[tool])) return;
  // Passive drops only a tool's primary-button binding (Cornerstone merges bindings on activation).
  for (const name of Object.values(PRIMARY)) if (group.hasTool(name)) group.setToolPassive(name);
  for (const [name, mouseButton] of FIXED_BINDINGS) group.setToolActive(name, { bindings: [{ mouseButton }] });
  group.setToolActive(PRIMARY[tool], { bindings: [{ mouseButton: MouseBindings.Primary }] });
}

export function joinToolGroup(groupId: string, viewportId: string, engineId: string) {
  ToolGroupManager.getToolGroup(groupId)?.addViewport(viewportId, engineId);
}

/** Safe after the group is gone: the viewer may have torn it down before its viewports. */
export function leaveToolGroup(groupId: string, viewportId: string, engineId: string) {
  ToolGroupManager.getToolGroup(groupId)?.removeViewports(engineId, viewportId);
}

/**
 * Whether painting a segment over another keeps both: Cornerstone then moves the painted segment onto
 * a labelmap layer of its own (saved as an overlap layer). Otherwise a stroke replaces what it covers.
 */
export function setSegmentsOverlap(overlap: boolean) {
  if (overlap) TOOLS_CONFIG.segmentation = { overwriteMode: 'none' };
  else delete TOOLS_CONFIG.segmentation;
}

/** Brush radius in mm, for every brush of the group. */
export function setBrushSize(groupId: string, radiusMm: number) {
  utilities.segmentation.setBrushSizeForToolGroup(groupId, radiusMm);
}

/** What the threshold brush paints: pixels whose value (HU on CT) lies in the range. */
export function setThresholdRange(groupId: string, range: [number, number]) {
  utilities.segmentation.setBrushThresholdForToolGroup(groupId, { range, isDynamic: false, dynamicRadius: 0 });
}

/**
 * Keeps viewports on the same slice, window and zoom/pan, as a reviewer comparing readers side by
 * side expects; returns the unlink.
 */
export function linkViewports(id: string, engineId: string, viewportIds: readonly string[]): () => void {
  const made = [synchronizers.createImageSliceSynchronizer(`${id}-slice`), synchronizers.createVOISynchronizer(`${id}-voi`, { syncInvertState: true, syncColormap: false }), synchronizers.createZoomPanSynchronizer(`${id}-zoompan`)];
  for (const sync of made) for (const viewportId of viewportIds) sync.add({ renderingEngineId: engineId, viewportId });
  return () => {
    for (const sync of made) SynchronizerManager.destroySynchronizer(sync.id);
  };
}

export function destroyToolGroup(groupId: string) {
  ToolGroupManager.destroyToolGroup(groupId);
}

export type ViewerTools = typeof import('./viewer-tools');
