import type { InstanceJson } from './stack-order.client';

const WINDOW_CENTER = '00281050';
const WINDOW_WIDTH = '00281051';

/**
 * The instance without its window when the file's window is unusable (a width under 1, which PS3.3
 * C.11.2.1.2 forbids and some files carry as 0, or values that are not numbers): Cornerstone then windows
 * from the pixel range, as for MR without a window, instead of drawing a black image.
 */
export function withoutUnusableWindow(instance: InstanceJson): InstanceJson {
  const widths = (instance[WINDOW_WIDTH]?.Value ?? []).map(Number);
  const centers = (instance[WINDOW_CENTER]?.Value ?? []).map(Number);
  const usable = widths.length > 0 && widths.every((w) => Number.isFinite(w) && w >= 1) && centers.length > 0 && centers.every(Number.isFinite);
  if (usable || (widths.length === 0 && centers.length === 0)) return instance;
  const { [WINDOW_CENTER]: _center, [WINDOW_WIDTH]: _width, ...rest } = instance;
  return rest;
}
