/** One RFC 4180 line: fields holding a comma, quote or line break are quoted; CRLF ends it. */
export function csvLine(cells: readonly (string | number | null | undefined)[]): string {
  return `${cells.map((cell) => csvField(cell == null ? '' : String(cell))).join(',')}\r\n`;
}

function csvField(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}

/**
 * Text people typed, made inert for spreadsheets: a leading = + - @ (or tab, CR) would make Excel or
 * LibreOffice run it as a formula when an admin opens the export (CSV injection).
 */
export function spreadsheetText(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
