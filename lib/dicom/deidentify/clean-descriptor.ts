/**
 * The Clean Descriptors Option for free text (Study Description, Series Description, Image
 * Comments, ...): the text stays, what identifies the patient goes — every occurrence (any case, as
 * a whole word) of the identifiers given (the patient's name components, IDs, accession number, ...)
 * and anything that looks like a date. What is left is trimmed and its spaces collapsed.
 *
 * This is pattern removal, not understanding: a name that is not among the identifiers (a relative's,
 * a nickname) or an identifier spelled differently survives. Datasets that cannot accept that risk
 * leave the option off, and the descriptors are removed (the Basic Profile's X).
 */
export function descriptorCleaner(identifiers: readonly string[]): (text: string) => string {
  const terms = [...new Set(identifiers.map((t) => t.trim()).filter((t) => t.length >= 2))].sort((a, b) => b.length - a.length);
  const identifying = terms.length ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${terms.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`, 'giu') : null;
  return (text) => {
    let out = text;
    if (identifying) out = out.replace(identifying, ' ');
    for (const pattern of DATE_PATTERNS) out = out.replace(pattern, ' ');
    return out
      .replace(/\s+/g, ' ')
      .replace(/\s+([,.;:)\]])/g, '$1')
      .replace(/([([])\s+/g, '$1')
      .replace(/\(\)|\[\]/g, '')
      .replace(/\s+([,.;:])/g, '$1')
      .replace(/^[\s,.;:^-]+|[\s,;:^-]+$/g, '');
  };
}

/** One text cleaned of the identifiers and dates (see descriptorCleaner; reuse a cleaner for many texts). */
export function cleanDescriptor(text: string, identifiers: readonly string[]): string {
  return descriptorCleaner(identifiers)(text);
}

const MONTH = '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.?';
const DATE_PATTERNS: RegExp[] = [
  // 20240131, 20240131101500.123 (DICOM DA/DT written into text)
  /(?<!\d)(?:1[89]|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?:\d{2,6}(?:\.\d{1,6})?)?(?!\d)/g,
  // 2024-01-31, 2024/1/31, 2024.01.31
  /(?<!\d)\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?!\d)/g,
  // 31.01.2024, 1/31/24, 31-01-2024
  /(?<!\d)\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})(?!\d)/g,
  // 31 Jan 2024, 31-JAN-2024, 31jan24
  new RegExp(`(?<![\\p{L}\\p{N}])\\d{1,2}[ -]?${MONTH}[ ,-]*(?:\\d{4}|\\d{2})(?![\\p{L}\\p{N}])`, 'giu'),
  // January 31, 2024; Jan 2024
  new RegExp(`(?<![\\p{L}\\p{N}])${MONTH}[ ]?(?:\\d{1,2}(?:st|nd|rd|th)?,?[ ]?)?\\d{4}(?![\\p{L}\\p{N}])`, 'giu'),
];

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
