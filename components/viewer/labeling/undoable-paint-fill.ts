/**
 * Cornerstone's fill tool writes the labelmap without an undo step; this one, under the same name,
 * records each fill so Ctrl+Z takes it back like a brush stroke.
 */
import { PaintFillTool, type Types } from '@cornerstonejs/tools';
import { asUndoableSliceEdit } from './labeling-tools';

export class UndoablePaintFillTool extends PaintFillTool {
  static override toolName = PaintFillTool.toolName;

  constructor(...args: ConstructorParameters<typeof PaintFillTool>) {
    super(...args);
    const fill = this.preMouseDownCallback;
    this.preMouseDownCallback = (evt: Types.EventTypes.InteractionEventType) => asUndoableSliceEdit(evt.detail.viewportId, () => fill(evt));
  }
}
