/**
 * npm run bench — runs every bench/*.bench.ts in its own process (own database, own env) and writes
 * bench/results.json: [{ name, value, unit, baseline, baselineValue, ratio }].
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BenchEntry } from './harness';

const dir = path.join(process.cwd(), 'bench');
const files = readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort();
const results: BenchEntry[] = [];

for (const file of files) {
  process.stdout.write(`running ${file}…\n`);
  const run = spawnSync('npx', ['tsx', path.join(dir, file)], {
    encoding: 'utf8',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', COHORT_LOG_LEVEL: 'warn' },
    maxBuffer: 16 * 1024 * 1024,
  });
  const line = run.stdout.split('\n').find((l) => l.startsWith('BENCH '));
  if (run.status !== 0 || !line) {
    process.stderr.write(run.stdout + run.stderr);
    throw new Error(`${file} failed`);
  }
  const entries = JSON.parse(line.slice('BENCH '.length)) as BenchEntry[];
  for (const e of entries) {
    process.stdout.write(`  ${e.name}: ${e.value} ${e.unit} vs ${e.baseline}: ${e.baselineValue} ${e.unit} (ratio ${e.ratio})\n`);
  }
  results.push(...entries);
}

writeFileSync(path.join(dir, 'results.json'), JSON.stringify(results, null, 2) + '\n');
process.stdout.write(`wrote bench/results.json (${results.length} entries)\n`);
