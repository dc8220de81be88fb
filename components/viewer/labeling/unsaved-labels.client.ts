import type { SaveAnnotationInput } from '@/lib/annotations/schemas';

/**
 * Labels on their way to the server, kept in the browser until the server has them: a save that
 * never arrived (the tab closed mid-request, too big for a keepalive request; the connection
 * dropped) is sent again the next time the reader opens the study. Kept per label copy, with the
 * version the save was based on, so changes are never laid over a newer version.
 */
const PREFIX = 'cohort:unsaved-labels:';

export type UnsavedLabels = { baseVersion: number; at: string; save: SaveAnnotationInput };

/** Remembers a save before it is sent. Browsers that refuse (storage full, private mode) just do not get the safety net. */
export function keepUnsavedLabels(annotationId: string, save: SaveAnnotationInput): void {
  try {
    window.localStorage.setItem(PREFIX + annotationId, JSON.stringify({ baseVersion: save.baseVersion, at: new Date().toISOString(), save } satisfies UnsavedLabels));
  } catch {
    // no storage: nothing to recover later
  }
}

/** The server has the save (or it was refused for good): nothing to recover. */
export function forgetUnsavedLabels(annotationId: string): void {
  window.localStorage.removeItem(PREFIX + annotationId);
}

/** A save of this label copy that may not have reached the server. */
export function unsavedLabels(annotationId: string): UnsavedLabels | null {
  try {
    const kept = JSON.parse(window.localStorage.getItem(PREFIX + annotationId) ?? 'null') as UnsavedLabels | null;
    return kept && typeof kept.baseVersion === 'number' && kept.save ? kept : null;
  } catch {
    return null;
  }
}

/** On sign-out: nothing of one reader's work stays in a shared workstation's browser. */
export function forgetAllUnsavedLabels(): void {
  for (let i = window.localStorage.length - 1; i >= 0; i--) {
    const key = window.localStorage.key(i);
    if (key?.startsWith(PREFIX)) window.localStorage.removeItem(key);
  }
}
