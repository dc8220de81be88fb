/** Modalities of series that hold no images to draw: structured reports, presentation states, key objects, labels. */
const NON_IMAGE_MODALITIES = new Set(['SR', 'PR', 'KO', 'DOC', 'SEG', 'RTSTRUCT', 'REG']);

/** Whether a series of this modality holds images (a viewer draws it, a reader can label it). */
export function holdsImages(modality: string): boolean {
  return !NON_IMAGE_MODALITIES.has(modality);
}
