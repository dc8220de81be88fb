/**
 * Content types the gateway names by extension. Anything able to run script in a browser (HTML, SVG, XML,
 * JavaScript) is deliberately absent and served as application/octet-stream: the gateway shares Cohort's
 * origin, and published files are data, not pages.
 */
const TYPES: Record<string, string> = {
  json: 'application/json',
  jsonl: 'application/x-ndjson',
  txt: 'text/plain; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  tsv: 'text/tab-separated-values; charset=utf-8',
  dcm: 'application/dicom',
  gz: 'application/gzip',
  zip: 'application/zip',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  car: 'application/vnd.ipld.car',
};

export function contentTypeFor(name: string): string {
  const dot = name.lastIndexOf('.');
  const ext = dot === -1 ? '' : name.slice(dot + 1).toLowerCase();
  return TYPES[ext] ?? 'application/octet-stream';
}
