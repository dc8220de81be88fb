let root = '/dicomweb';

/**
 * Where this page's viewer reads DICOMweb: Cohort's own (with the user's session), or a share link's
 * read-only mirror of it (/s/<token>/dicomweb). One viewer per page, so one root per page.
 */
export function setDicomwebRoot(path: string): void {
  root = path;
}

/** A DICOMweb path (/studies/…) under this page's root. */
export function dicomwebUrl(path: string): string {
  return `${root}${path}`;
}
