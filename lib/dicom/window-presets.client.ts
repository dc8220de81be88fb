/**
 * Window presets as radiologists know them from their workstations (width / level in Hounsfield
 * units for CT). "Auto" is the image's own window, or its pixel range when it has none, which is
 * what MR needs: its intensities have no fixed scale.
 */
export type WindowPreset = { id: string; label: string; width: number; center: number };

export const CT_WINDOW_PRESETS: readonly WindowPreset[] = [
  { id: 'soft-tissue', label: 'Soft tissue', width: 400, center: 40 },
  { id: 'lung', label: 'Lung', width: 1500, center: -600 },
  { id: 'bone', label: 'Bone', width: 1800, center: 400 },
  { id: 'brain', label: 'Brain', width: 80, center: 40 },
];

/**
 * The VOI range of a width/center pair under the DICOM linear function (PS3.3 C.11.2.1.2.1), as
 * Cornerstone reads it: the range is one narrower than the width, centred half a unit lower.
 */
export function voiRange({ width, center }: { width: number; center: number }): { lower: number; upper: number } {
  return { lower: center - 0.5 - (width - 1) / 2, upper: center - 0.5 + (width - 1) / 2 };
}

/** The width/center a VOI range shows (the inverse of voiRange), rounded as overlays print them. */
export function windowOf({ lower, upper }: { lower: number; upper: number }): { width: number; center: number } {
  return { width: Math.round(upper - lower + 1), center: Math.round((upper + lower + 1) / 2) };
}
