/**
 * A DA, DT or TM value moved by a whole number of days (the Retain Longitudinal Temporal Information
 * with Modified Dates Option): intervals between a patient's dates are kept, the calendar dates are
 * not. Times of day do not move with whole days, so TM values come back as they are (validated);
 * a DT keeps its time, fraction and UTC offset. Null when the value is not a date of its VR — the
 * caller then replaces it with a dummy rather than keeping an unparsed, possibly real, date.
 *
 * DA: YYYYMMDD (and the retired YYYY.MM.DD, written back as YYYYMMDD); a range "A-B" moves both ends.
 * DT: YYYY[MM[DD[...]]]: partial dates move their first day and keep their precision.
 */
export function shiftDate(value: string, vr: 'DA' | 'DT' | 'TM', days: number): string | null {
  const v = value.trim();
  if (v === '') return '';
  if (vr === 'TM') return /^\d{2}(\d{2}(\d{2}(\.\d{1,6})?)?)?$/.test(v) || /^\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$/.test(v) ? v : null;
  if (vr === 'DA') {
    if (v.includes('-')) {
      const parts = v.split('-');
      if (parts.length !== 2) return null;
      const shifted = parts.map((p) => (p === '' ? '' : shiftDa(p, days)));
      return shifted.some((s) => s === null) ? null : shifted.join('-');
    }
    return shiftDa(v, days);
  }
  const m = /^(\d{4})(\d{2})?(\d{2})?(\d{2}(\d{2}(\d{2}(\.\d{1,6})?)?)?)?([+-]\d{4})?$/.exec(v);
  if (!m) return null;
  const [, year, month, day] = m;
  const rest = v.slice(4 + (month?.length ?? 0) + (day?.length ?? 0));
  const moved = addDays(Number(year), Number(month ?? '01'), Number(day ?? '01'), days);
  if (!moved) return null;
  return moved.slice(0, 4 + (month?.length ?? 0) + (day?.length ?? 0)) + rest;
}

function shiftDa(value: string, days: number): string | null {
  const m = /^(\d{4})\.?(\d{2})\.?(\d{2})$/.exec(value);
  if (!m) return null;
  return addDays(Number(m[1]), Number(m[2]), Number(m[3]), days);
}

/** YYYYMMDD of y-m-d plus days (proleptic Gregorian, UTC), or null for a date that does not exist. */
function addDays(y: number, m: number, d: number, days: number): string | null {
  const date = new Date(Date.UTC(2000, m - 1, d));
  date.setUTCFullYear(y);
  if (date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  date.setUTCDate(date.getUTCDate() + days);
  const year = date.getUTCFullYear();
  if (year < 1 || year > 9999) return null;
  return `${String(year).padStart(4, '0')}${String(date.getUTCMonth() + 1).padStart(2, '0')}${String(date.getUTCDate()).padStart(2, '0')}`;
}
