/**
 * A name that prints as itself in a Markdown table, a README or a terminal: no control characters
 * (C0, DEL, C1), and none of | ` < > (table cells, code spans, HTML).
 */
export const PRINTABLE_NAME = /^[^\u0000-\u001f\u007f-\u009f|`<>]*$/;
