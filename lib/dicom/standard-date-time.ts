/**
 * DA and TM values in their DICOM 3 form. Files from before DICOM 3 (and some later ones) still write
 * dates and times the ACR-NEMA way, "1999.05.24" and "11:42:21", which PS3.5 6.2 asks readers to
 * accept but which writers must not produce: dcmjs, and OHIF's SEG exporter with it, refuse a ten-
 * character DA. Anything that is not one of those forms comes back as it is.
 */

/** "1999.05.24" → "19990524". */
export function standardDate(da: string): string {
  const m = /^(\d{4})\.(\d{2})\.(\d{2})$/.exec(da);
  return m ? `${m[1]}${m[2]}${m[3]}` : da;
}

/** "11:42:43.309512" → "114243.309512", "11:42" → "1142". */
export function standardTime(tm: string): string {
  const m = /^(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?$/.exec(tm);
  return m ? `${m[1]}${m[2]}${m[3] ?? ''}${m[4] ?? ''}` : tm;
}
