/**
 * Everything the viewer takes from @cornerstonejs/tools, in one module the viewer imports only
 * dynamically (see loadTools in cornerstone.ts): a megabyte of script that need not run before the
 * first image is drawn.
 */
import { getEnabledElements } from '@cornerstonejs/core';
import {
  addTool,
  init as toolsInit,
  CrosshairsTool,
  Enums,
  PanTool,
  StackScrollTool,
  state,
  store,
  ToolGroupManager,
  utilities,
  WindowLevelTool,
  ZoomTool,
} from '@cornerstonejs/tools';
import type { PrimaryTool } from './shortcuts';

export const { cine, stackPrefetch } = utilities;

const { MouseBindings } = Enums;

const PRIMARY: Record<PrimaryTool, string> = {
  window: WindowLevelTool.toolName,
  pan: PanTool.toolName,
  zoom: ZoomTool.toolName,
  scroll: StackScrollTool.toolName,
  crosshairs: CrosshairsTool.toolName,
};

/** Held whatever the left button does: middle drag pans, right drag zooms, the wheel scrolls. */
const FIXED_BINDINGS: [string, number][] = [
  [PanTool.toolName, MouseBindings.Auxiliary],
  [ZoomTool.toolName, MouseBindings.Secondary],
  [StackScrollTool.toolName, MouseBindings.Wheel],
];

export function initTools() {
  toolsInit();
  for (const tool of [WindowLevelTool, PanTool, ZoomTool, StackScrollTool, CrosshairsTool]) addTool(tool);
  // Tools hook their mouse and wheel listeners onto elements as they are enabled: the viewports
  // that already show their first image were enabled before, so hook those now.
  for (const { viewport } of getEnabledElements()) {
    if (state.enabledElements.includes(viewport.element)) continue;
    store.addEnabledElement(new CustomEvent('elementenabled', { detail: { element: viewport.element, viewportId: viewport.id, renderingEngineId: viewport.renderingEngineId } }));
  }
}

/**
 * A viewer tool group, bound as on a PACS workstation: wheel scrolls, middle drag pans, right drag
 * zooms, and the left button does what the toolbar (or W/P/Z/S/X) chose. MPR groups add crosshairs.
 */
export function createViewerToolGroup(id: string, { crosshairs = false } = {}) {
  ToolGroupManager.destroyToolGroup(id);
  const group = ToolGroupManager.createToolGroup(id);
  if (!group) throw new Error(`Tool group ${id} could not be created.`);
  for (const [tool, name] of Object.entries(PRIMARY)) if (tool !== 'crosshairs' || crosshairs) group.addTool(name);
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

export function destroyToolGroup(groupId: string) {
  ToolGroupManager.destroyToolGroup(groupId);
}

export type ViewerTools = typeof import('./viewer-tools');
