/** DICOM values as people read them. Pure functions: used by pages and by exports alike. */

/** DA "20041118" → "2004-11-18"; anything else as it is. */
export function formatDicomDate(da: string): string {
  // "19990524", or the ACR-NEMA "1999.05.24" older files still carry (PS3.5 6.2, retired form).
  const m = /^(\d{4})\.?(\d{2})\.?(\d{2})$/.exec(da);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : da;
}

/** TM "153516.123" → "15:35"; anything else as it is. */
export function formatDicomTime(tm: string): string {
  const m = /^(\d{2})(\d{2})/.exec(tm);
  return m ? `${m[1]}:${m[2]}` : tm;
}

/**
 * PN "Doe^John^A^^Jr=山田^太郎" → "Doe, John A Jr": the alphabetic group, family name first. The
 * ideographic and phonetic groups (after "=") are for `title` text.
 */
export function formatPersonName(pn: string): string {
  const [alphabetic = ''] = pn.split('=');
  const [family = '', given = '', middle = '', prefix = '', suffix = ''] = alphabetic.split('^').map((p) => p.trim());
  const rest = [prefix, given, middle, suffix].filter(Boolean).join(' ');
  return family && rest ? `${family}, ${rest}` : family || rest || pn.replaceAll('^', ' ').replaceAll('=', ' ').trim();
}
