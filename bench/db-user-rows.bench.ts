/**
 * 10,000 user-owned rows: an announcement to 10,000 radiologists through our data layer
 * (broadcastNotification: recipients selected, rows written in chunks, one transaction) vs a bare
 * Prisma `createMany` of the very same rows on the same SQLite database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { entry, medianMs, report } from './harness';

const ROWS = 10_000;
const RUNS = 5;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cohort-bench-'));
process.env.COHORT_DATA_DIR = dataDir;
process.env.DATABASE_URL = `file:${path.join(dataDir, 'bench.db')}`;

const { migrateDatabase } = await import('../lib/db/migrate');
const { getDb, closeDb } = await import('../lib/db/client');
const { broadcastNotification } = await import('../lib/notifications/broadcast-notification');

await migrateDatabase({ databaseUrl: process.env.DATABASE_URL });
const db = getDb();
const users = Array.from({ length: ROWS }, (_, i) => ({ id: `bench-user-${i}`, name: `Reader ${i}`, email: `reader${i}@bench.local` }));
await db.user.createMany({ data: users });
await db.userRole.createMany({ data: users.map((u) => ({ userId: u.id, role: 'radiologist' })) });

const message = { title: 'Bench', body: 'Ten thousand inboxes.' };
const clear = () => db.notification.deleteMany();

const ours = await medianMs(RUNS, () => broadcastNotification({ ...message, roles: ['radiologist'] }), clear);
if ((await db.notification.count()) !== ROWS) throw new Error('broadcast did not write every row');

const rows = users.map((u) => ({ userId: u.id, kind: 'announcement', ...message, createdAt: new Date() }));
const baseline = await medianMs(RUNS, () => db.notification.createMany({ data: rows }), clear);
if ((await db.notification.count()) !== ROWS) throw new Error('createMany did not write every row');

await closeDb();
rmSync(dataDir, { recursive: true, force: true });

report([
  entry(
    'create 10,000 user-owned rows (announcement to 10,000 users, SQLite)',
    'rows/s',
    ROWS / (ours / 1000),
    'Prisma createMany of the same 10,000 rows',
    ROWS / (baseline / 1000),
  ),
]);
