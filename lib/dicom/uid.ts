import { randomUUID } from 'node:crypto';

/** DICOM UIDs (PS3.5 §9.1): dot-separated decimal components, at most 64 characters. */
const UID = /^[0-9]+(\.[0-9]+)*$/;
const LEADING_ZERO = /(^|\.)0[0-9]/;

export type UidCheck = { ok: true; warning?: string } | { ok: false; reason: string };

export function checkUid(value: string): UidCheck {
  if (value.length === 0) return { ok: false, reason: 'is empty' };
  if (value.length > 64) return { ok: false, reason: `is ${value.length} characters long (at most 64)` };
  if (!UID.test(value)) return { ok: false, reason: `"${value}" is not a UID (digits separated by dots)` };
  // Common in real archives (and accepted by every PACS), though PS3.5 forbids it.
  if (LEADING_ZERO.test(value)) return { ok: true, warning: `"${value}" has a component with a leading zero` };
  return { ok: true };
}

/** A new UID from a random UUID (PS3.5 §B.2: "2.25." and the UUID as one decimal integer). */
export function newUid(): string {
  return `2.25.${BigInt(`0x${randomUUID().replaceAll('-', '')}`).toString()}`;
}
