/** What an instance's header says about text burned into its pixels. */
export type BurnedInHeader = {
  modality?: string | null;
  /** Burned In Annotation (0028,0301): YES or NO. */
  burnedInAnnotation?: string | null;
  sopClassUid?: string | null;
  /** Image Type (0008,0008), values or the backslash-separated string. */
  imageType?: readonly string[] | string | null;
};

export type BurnedInRisk = { flagged: boolean; reason?: string };

/**
 * Modalities whose images commonly carry burned-in text (patient name, ID, dates in the pixels):
 * ultrasound and intravascular ultrasound (the scanner draws its screen), secondary capture and
 * "other" (screenshots, scanned paper), angiography and fluoroscopy (XA, RF: overlay text is often
 * burned in by the modality or the workstation), endoscopy, external-camera and microscopy
 * photography (ES, XC, GM), ophthalmic photography (OP) and documents (DOC).
 */
export const BURNED_IN_MODALITIES: ReadonlySet<string> = new Set(['US', 'IVUS', 'SC', 'OT', 'XA', 'RF', 'ES', 'XC', 'GM', 'OP', 'DOC']);

/** Secondary Capture Image Storage and its multi-frame variants: screens and scans, whatever the modality says. */
const SECONDARY_CAPTURE = /^1\.2\.840\.10008\.5\.1\.4\.1\.1\.7(\.[1-4])?$/;
/** Image Type values of captured screens and of slide-label images (which print the patient's name). */
const RISKY_IMAGE_TYPES = new Set(['SCREEN SHOT', 'SCREENSHOT', 'LABEL', 'OVERVIEW']);

/**
 * Whether an instance may show identifying text in its pixels, which de-identification does not
 * scrub (only the header is cleaned). Flagged when the header says so (Burned In Annotation YES), when
 * the modality is one known for burned-in text (BURNED_IN_MODALITIES, whatever Burned In Annotation
 * says: devices often leave it out or get it wrong), when it is a Secondary Capture, or when its
 * Image Type marks a screenshot or a slide label. A dataset excludes flagged studies unless an admin
 * has looked at them and cleared them.
 */
export function burnedInAnnotationRisk(header: BurnedInHeader): BurnedInRisk {
  const burnedIn = header.burnedInAnnotation?.trim().toUpperCase();
  if (burnedIn === 'YES') return { flagged: true, reason: 'Burned In Annotation (0028,0301) is YES' };
  const modality = header.modality?.trim().toUpperCase();
  if (modality && BURNED_IN_MODALITIES.has(modality)) return { flagged: true, reason: `modality ${modality} often carries burned-in text` };
  const sopClass = header.sopClassUid?.trim();
  if (sopClass && SECONDARY_CAPTURE.test(sopClass)) return { flagged: true, reason: 'a Secondary Capture image (a captured screen or scan)' };
  const imageType = (typeof header.imageType === 'string' ? header.imageType.split('\\') : (header.imageType ?? [])).map((v) => v.trim().toUpperCase());
  const risky = imageType.find((v) => RISKY_IMAGE_TYPES.has(v));
  if (risky) return { flagged: true, reason: `Image Type ${risky}` };
  return { flagged: false };
}
