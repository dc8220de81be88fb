/**
 * Child of ingest.bench.ts: ingests a folder (as `cohort ingest` does) while sampling its own resident
 * set size, and prints the peak growth over where it started: RSS {"peakGrowth": bytes, "stored": n}.
 */
export {}; // a module: top-level await

const folder = process.argv[2]!;
const { migrateDatabase } = await import('../lib/db/migrate');
const { closeDb } = await import('../lib/db/client');
const { ingestFiles } = await import('../lib/dicom/ingest-files');
const { pathFiles } = await import('../lib/dicom/path-files');
await migrateDatabase({ databaseUrl: process.env.DATABASE_URL! });
global.gc?.();
const start = process.memoryUsage().rss;
let peak = start;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
const outcomes = await ingestFiles(pathFiles([folder], { maxEntryBytes: 2 ** 30, maxTotalBytes: 2 ** 40 }), { actorUserId: 'bench-admin' });
peak = Math.max(peak, process.memoryUsage().rss);
clearInterval(sampler);
await closeDb();
process.stdout.write(`RSS ${JSON.stringify({ peakGrowth: peak - start, stored: outcomes.filter((o) => o.status === 'stored').length })}\n`);
