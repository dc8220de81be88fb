/**
 * consent.check: canUse over a 10,000-study selection (2,000 patients, 5 studies each, a mix of
 * patient-wide and per-study decisions) vs the same answer asked naively, one query per study for its
 * newest relevant decision, on the same SQLite database in the same run. Goal: canUse < 200 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { entry, medianMs, report } from './harness';

const PATIENTS = 2_000;
const PER_PATIENT = 5;
const RUNS = 5;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cohort-bench-'));
process.env.COHORT_DATA_DIR = dataDir;
process.env.DATABASE_URL = `file:${path.join(dataDir, 'bench.db')}`;

const { migrateDatabase } = await import('../lib/db/migrate');
const { getDb, closeDb } = await import('../lib/db/client');
const { canUse } = await import('../lib/consent/can-use');
const { consentStatus } = await import('../lib/consent/consent-state');

await migrateDatabase({ databaseUrl: process.env.DATABASE_URL });
const db = getDb();
const patients = Array.from({ length: PATIENTS }, (_, p) => ({ id: `bp-${p}`, patientKey: `BENCH-${p}` }));
await db.patient.createMany({ data: patients });
const studies = patients.flatMap((p, i) => Array.from({ length: PER_PATIENT }, (_, k) => ({ id: `bs-${i}-${k}`, studyInstanceUid: `1.2.3.${i}.${k}`, patientId: p.id })));
for (let i = 0; i < studies.length; i += 2000) await db.study.createMany({ data: studies.slice(i, i + 2000) });
// Decisions in ledger order: every third patient allows research for all studies, then declines one;
// every fifth revokes; every seventh grants one study only.
let seq = 0;
const decisions = patients.flatMap((p, i) => {
  const out = [];
  const d = (studyId: string | null, decision: string) => ({ id: `bd-${seq}`, patientId: p.id, studyId, purpose: 'research', decision, decidedById: 'bench', source: 'patient', policyVersion: 'bench', ledgerSeq: seq++ });
  if (i % 3 === 0) out.push(d(null, 'granted'), d(`bs-${i}-1`, 'denied'));
  if (i % 5 === 0) out.push(d(null, 'revoked'));
  if (i % 7 === 0) out.push(d(`bs-${i}-2`, 'granted'));
  return out;
});
await db.consentDecision.createMany({ data: decisions });
const ids = studies.map((s) => s.id);

let usable = 0;
const ours = await medianMs(RUNS, async () => {
  usable = [...(await canUse(ids, 'research')).values()].filter((s) => s.usable).length;
});

// Naive: per study, its patient, then the newest decision about it or about all its patient's studies.
let naiveUsable = 0;
const naive = await medianMs(RUNS, async () => {
  naiveUsable = 0;
  const at = new Date();
  for (const id of ids) {
    const study = await db.study.findUniqueOrThrow({ where: { id }, select: { patientId: true } });
    const newest = await db.consentDecision.findFirst({ where: { patientId: study.patientId, purpose: 'research', createdAt: { lte: at }, OR: [{ studyId: id }, { studyId: null }] }, orderBy: { ledgerSeq: 'desc' } });
    if (consentStatus(newest ? [newest] : [], id, 'research', at).usable) naiveUsable++;
  }
});
if (usable !== naiveUsable || usable === 0) throw new Error(`canUse says ${usable} usable, the naive check ${naiveUsable}`);

await closeDb();
rmSync(dataDir, { recursive: true, force: true });

report([entry('consent.check: canUse over 10,000 studies (SQLite)', 'ms', ours, 'one query per study for its newest decision', naive)]);
