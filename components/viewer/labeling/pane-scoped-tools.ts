/**
 * Region and measurement tools that can keep a drawing to one pane. Cornerstone draws an annotation
 * on every viewport showing its image; a reviewer comparing readers side by side shows the same
 * image in each pane, one reader per pane, so each pane must draw only its reader's drawings.
 * The subclasses keep their base tool's name: saved labels and hydration do not see a difference.
 */
import { getEnabledElement } from '@cornerstonejs/core';
import { AngleTool, LengthTool, PlanarFreehandROITool, RectangleROITool, type Types } from '@cornerstonejs/tools';

type Annotations = Types.Annotations;

/** Which owner's drawings each scoped pane shows (by viewport id); panes not listed show all. */
const paneOwners = new Map<string, string>();

export function scopePane(viewportId: string, owner: string): () => void {
  paneOwners.set(viewportId, owner);
  return () => {
    if (paneOwners.get(viewportId) === owner) paneOwners.delete(viewportId);
  };
}

/** Marks a drawing as `owner`'s (a reader's copy shown to a reviewer). */
export function setDrawingOwner(a: { data: Record<string, unknown> }, owner: string) {
  a.data.cohortOwner = owner;
}

function shownIn(element: HTMLDivElement, annotations: Annotations): Annotations {
  const viewportId = getEnabledElement(element)?.viewport.id;
  const owner = viewportId ? paneOwners.get(viewportId) : undefined;
  return owner === undefined ? annotations : annotations.filter((a) => a.data.cohortOwner === owner);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a mixin's base constructor (TypeScript requires any[])
type AnnotationToolClass = (abstract new (...args: any[]) => { filterInteractableAnnotationsForElement(element: HTMLDivElement, annotations: Annotations): Annotations | undefined }) & { toolName: string };

/** `Base` under its own name, drawing in a scoped pane only that pane's owner's annotations. */
function paneScoped<T extends AnnotationToolClass>(Base: T) {
  abstract class Scoped extends Base {
    static override toolName = Base.toolName;
    override filterInteractableAnnotationsForElement(element: HTMLDivElement, annotations: Annotations): Annotations {
      return shownIn(element, super.filterInteractableAnnotationsForElement(element, annotations) ?? []);
    }
  }
  return Scoped as unknown as T;
}

export const ScopedRectangleROITool = paneScoped(RectangleROITool);
export const ScopedPlanarFreehandROITool = paneScoped(PlanarFreehandROITool);
export const ScopedLengthTool = paneScoped(LengthTool);
export const ScopedAngleTool = paneScoped(AngleTool);
