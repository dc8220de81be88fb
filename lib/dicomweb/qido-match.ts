import { AppError } from '@/lib/errors/app-error';

/**
 * QIDO-RS query parameters (PS3.18 §8.3.4) turned into SQL conditions: attributes named by keyword or
 * by tag, single-value matching (exact, or with DICOM wildcards `*` and `?`), UID list matching, and
 * date ranges. Keys Cohort does not match on are reported back (the response carries a Warning).
 */
export type MatchField = {
  keyword: string;
  tag: string;
  column: string;
  /** `exists`: `column` is a whole condition with one `?` (matching on a related table). */
  kind: 'text' | 'person' | 'uid-list' | 'date' | 'exact' | 'exists';
};

export type SqlCondition = { sql: string; params: unknown[] };

export type ParsedQuery = {
  conditions: SqlCondition[];
  limit: number;
  offset: number;
  /** Matching keys given but not supported here: ignored, as PS3.18 allows, and named in a Warning. */
  ignored: string[];
};

const CONTROL = new Set(['limit', 'offset', 'includefield', 'fuzzymatching']);
const MAX_LIMIT = 1000;

export function parseQidoQuery(params: URLSearchParams, fields: readonly MatchField[], defaultLimit = 100): ParsedQuery {
  const conditions: SqlCondition[] = [];
  const ignored: string[] = [];
  for (const [key, raw] of params) {
    if (CONTROL.has(key)) continue;
    const field = fields.find((f) => f.keyword === key || f.tag === key.toUpperCase());
    if (!field) {
      ignored.push(key);
      continue;
    }
    const value = raw.trim();
    if (value === '' || value === '*') continue; // universal matching
    conditions.push(condition(field, value));
  }
  if (params.get('fuzzymatching') === 'true') ignored.push('fuzzymatching');
  return { conditions, limit: bounded(params.get('limit'), 'limit', defaultLimit, MAX_LIMIT), offset: bounded(params.get('offset'), 'offset', 0, Number.MAX_SAFE_INTEGER), ignored };
}

function condition(field: MatchField, value: string): SqlCondition {
  switch (field.kind) {
    case 'uid-list': {
      const uids = value.split(/[\\,]/).map((u) => u.trim()).filter(Boolean);
      if (uids.some((u) => !/^[0-9.]{1,64}$/.test(u))) throw new AppError('BAD_REQUEST', `${field.keyword}: not a list of UIDs.`);
      return { sql: `${field.column} IN (${uids.map(() => '?').join(', ')})`, params: uids };
    }
    case 'date':
      return dateRange(field, value);
    case 'person':
      // Person names match without regard to case (PS3.4 C.2.2.2.4 leaves it to the archive; PACS do so).
      return hasWildcard(value)
        ? { sql: `LOWER(${field.column}) LIKE ? ESCAPE '\\'`, params: [toLike(value.toLowerCase())] }
        : { sql: `LOWER(${field.column}) = ?`, params: [value.toLowerCase()] };
    case 'text':
      return hasWildcard(value) ? { sql: `${field.column} LIKE ? ESCAPE '\\'`, params: [toLike(value)] } : { sql: `${field.column} = ?`, params: [value] };
    case 'exact':
      return { sql: `${field.column} = ?`, params: [value] };
    case 'exists':
      return { sql: field.column, params: [value] };
  }
}

/** DA matching: "20240101", "20240101-20241231", "-20241231" or "20240101-" (PS3.4 C.2.2.2.5). */
function dateRange(field: MatchField, value: string): SqlCondition {
  const m = /^(\d{8})?(-)?(\d{8})?$/.exec(value.replaceAll('.', ''));
  if (!m || (!m[1] && !m[3])) throw new AppError('BAD_REQUEST', `${field.keyword}: expected YYYYMMDD or a range YYYYMMDD-YYYYMMDD, got "${value}".`);
  const [, from, dash, to] = m;
  if (!dash) return { sql: `${field.column} = ?`, params: [from] };
  const parts: string[] = [];
  const params: unknown[] = [];
  if (from) {
    parts.push(`${field.column} >= ?`);
    params.push(from);
  }
  if (to) {
    parts.push(`${field.column} <= ?`, `${field.column} <> ''`);
    params.push(to);
  }
  return { sql: parts.join(' AND '), params };
}

function hasWildcard(value: string): boolean {
  return /[*?]/.test(value);
}

/** DICOM wildcards to a LIKE pattern: `*` → `%`, `?` → `_`, and LIKE's own metacharacters escaped. */
function toLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`).replaceAll('*', '%').replaceAll('?', '_');
}

function bounded(raw: string | null, name: string, fallback: number, max: number): number {
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new AppError('BAD_REQUEST', `${name} must be a whole number ≥ 0.`);
  return Math.min(n, max);
}
