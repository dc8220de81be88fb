import { getDb } from '@/lib/db/client';
import { log } from '@/lib/log/logger';
import type { AccessEvent } from './access-event';

/** How long an access waits in memory before it is written: the bound on what a crash can lose. */
export const FLUSH_INTERVAL_MS = 1_000;
/** Rows kept for a retry when the database refuses a write; beyond this the oldest are dropped (and logged). */
const MAX_PENDING = 20_000;

type PendingRow = {
  at: Date;
  studyId: string | null;
  studyInstanceUid: string | null;
  seriesInstanceUid: string | null;
  actor: string;
  userId: string | null;
  role: string | null;
  accessTokenId: string | null;
  actorRef: string | null;
  how: string;
  outcome: string;
  requests: number;
  address: string | null;
};

let pending = new Map<string, PendingRow>();
let timer: NodeJS.Timeout | null = null;
let flushing: Promise<void> = Promise.resolve();

/**
 * Notes an access for the log, without touching the database: a viewer fetches hundreds of frames
 * and each must not wait on a write. Identical accesses (same reader, study, series, way, outcome
 * and address) within one flush interval become one row that counts them.
 */
export function recordAccess(event: AccessEvent): void {
  const row = toRow(event);
  const key = [row.studyId, row.studyInstanceUid, row.seriesInstanceUid, row.actor, row.userId, row.role, row.accessTokenId, row.actorRef, row.how, row.outcome, row.address].join('\u0000');
  const same = pending.get(key);
  if (same) same.requests += 1;
  else pending.set(key, row);
  timer ??= setTimeout(() => void flushAccessLog(), FLUSH_INTERVAL_MS).unref();
}

/** Writes what is pending now (tests, shutdown, the interval). Resolves when it is in the database. */
export function flushAccessLog(): Promise<void> {
  flushing = flushing.then(writePending);
  return flushing;
}

async function writePending(): Promise<void> {
  if (timer) clearTimeout(timer);
  timer = null;
  const rows = [...pending.values()];
  pending = new Map();
  if (rows.length === 0) return;
  try {
    const db = getDb();
    // Callers on the hot path know only a UID: one query maps them all.
    const uids = [...new Set(rows.filter((r) => r.studyId === null && r.studyInstanceUid !== null).map((r) => r.studyInstanceUid!))];
    const studies = uids.length ? await db.study.findMany({ where: { studyInstanceUid: { in: uids } }, select: { id: true, studyInstanceUid: true } }) : [];
    const idOf = new Map(studies.map((s) => [s.studyInstanceUid, s.id]));
    const ids = [...new Set(rows.filter((r) => r.studyId !== null).map((r) => r.studyId!))];
    const known = ids.length ? await db.study.findMany({ where: { id: { in: ids } }, select: { id: true, studyInstanceUid: true } }) : [];
    const uidOf = new Map(known.map((s) => [s.id, s.studyInstanceUid]));
    await db.studyAccess.createMany({
      data: rows.map(({ studyId, studyInstanceUid, ...row }) => ({
        ...row,
        // A study deleted since the access keeps its UID and loses the link, as SetNull would have done.
        studyId: studyId !== null ? (uidOf.has(studyId) ? studyId : null) : (idOf.get(studyInstanceUid!) ?? null),
        studyInstanceUid: studyInstanceUid ?? uidOf.get(studyId!) ?? '',
      })),
    });
  } catch (err) {
    log.error('access log: write failed; keeping the rows for the next flush', { err, rows: rows.length });
    requeue(rows);
  }
}

function requeue(rows: PendingRow[]) {
  const merged = new Map(rows.map((row, i) => [`retry:${i}:${row.at.getTime()}`, row]));
  for (const [key, row] of pending) merged.set(key, row);
  const dropped = merged.size - MAX_PENDING;
  if (dropped > 0) {
    log.error('access log: too many rows waiting; dropping the oldest', { dropped });
    for (const key of [...merged.keys()].slice(0, dropped)) merged.delete(key);
  }
  pending = merged;
  timer ??= setTimeout(() => void flushAccessLog(), FLUSH_INTERVAL_MS).unref();
}

function toRow({ study, seriesInstanceUid, by, how, outcome = 'allowed', address, at = new Date() }: AccessEvent): PendingRow {
  return {
    at,
    studyId: 'id' in study ? study.id : null,
    studyInstanceUid: 'studyInstanceUid' in study ? study.studyInstanceUid : null,
    seriesInstanceUid: seriesInstanceUid ?? null,
    actor: by.kind,
    userId: by.kind === 'user' || by.kind === 'access_token' ? by.userId : null,
    role: by.kind === 'user' || by.kind === 'access_token' ? by.role : null,
    accessTokenId: by.kind === 'access_token' ? by.accessTokenId : null,
    actorRef: by.kind === 'model' ? by.modelName : by.kind === 'dataset_export' ? by.datasetVersionId : by.kind === 'share_link' ? by.shareLinkId : null,
    how,
    outcome,
    requests: 1,
    address: address ?? null,
  };
}
