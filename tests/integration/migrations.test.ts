import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { markMigration, migrateDatabase, MigrationError } from '@/lib/db/migrate';
import { MIGRATIONS_ROOT } from '@/lib/db/migrations-dir';
import { providerOf } from '@/lib/db/provider';
import { diffMigrationsToSchema } from '@/lib/db/schema-diff';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';
import { rawQuery, tableNames } from '../helpers/raw-sql';

const provider = process.env.COHORT_TEST_DB === 'postgresql' ? 'postgresql' : 'sqlite';
const databases: TestDatabase[] = [];
afterEach(async () => {
  for (const db of databases.splice(0)) await db.drop();
});

async function freshDatabase() {
  const db = await createTestDatabase(provider);
  databases.push(db);
  return db;
}

/** A copy of the repo's migrations plus extra migration folders, to break things without touching the repo. */
function migrationsWith(extra: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'cohort-migrations-'));
  cpSync(path.join(MIGRATIONS_ROOT, provider), path.join(root, provider), { recursive: true });
  for (const [name, sql] of Object.entries(extra)) {
    mkdirSync(path.join(root, provider, name));
    writeFileSync(path.join(root, provider, name, 'migration.sql'), sql);
  }
  return root;
}

const appliedRows = (url: string) =>
  rawQuery<{ migration_name: string; finished_at: unknown; rolled_back_at: unknown }>(
    url,
    'SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at',
  );

describe(`migrations on ${provider}`, () => {
  it('leaves the schema as it was when a migration fails, names it, and retries it once fixed', async () => {
    const db = await freshDatabase();
    const name = '20991231000000_broken';
    // The first statement would succeed; the second collides with an existing table.
    const root = migrationsWith({ [name]: 'CREATE TABLE probe_ok (id INTEGER);\nCREATE TABLE "user" (id INTEGER);\n' });

    const failure = await migrateDatabase({ databaseUrl: db.url, migrationsRoot: root }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(MigrationError);
    expect((failure as MigrationError).migrationName).toBe(name);
    expect((failure as Error).message).toMatch(new RegExp(`Migration "${name}" failed and was rolled back`));
    expect(await tableNames(db.url)).not.toContain('probe_ok');
    expect(await tableNames(db.url)).toContain('user'); // the good migration before it stays applied

    writeFileSync(path.join(root, provider, name, 'migration.sql'), 'CREATE TABLE probe_ok (id INTEGER);\n');
    const retry = await migrateDatabase({ databaseUrl: db.url, migrationsRoot: root });
    expect(retry).toEqual({ applied: [name], retried: [name] });
    expect(await tableNames(db.url)).toContain('probe_ok');
    const rows = await appliedRows(db.url);
    expect(rows.filter((r) => r.migration_name === name && r.rolled_back_at !== null)).toHaveLength(1);
    expect(rows.filter((r) => r.migration_name === name && r.finished_at !== null)).toHaveLength(1);
  });

  it('refuses to run when an applied migration file was edited afterwards', async () => {
    const db = await freshDatabase();
    const root = migrationsWith({});
    await migrateDatabase({ databaseUrl: db.url, migrationsRoot: root });
    const [init] = (await appliedRows(db.url)).map((r) => r.migration_name);
    const file = path.join(root, provider, init!, 'migration.sql');
    writeFileSync(file, readFileSync(file, 'utf8') + '\n-- an afterthought\n');
    await expect(migrateDatabase({ databaseUrl: db.url, migrationsRoot: root })).rejects.toThrow(/edited afterwards.*Restore/);
  });

  it('refuses, before touching the database, a migration that controls transactions itself', async () => {
    const db = await freshDatabase();
    const root = migrationsWith({ '20991231000000_own_tx': 'BEGIN;\nCREATE TABLE own_tx (id INTEGER);\nCOMMIT;\n' });
    await expect(migrateDatabase({ databaseUrl: db.url, migrationsRoot: root })).rejects.toThrow(/"20991231000000_own_tx" controls transactions/);
    expect(await tableNames(db.url)).toEqual([]);
  });

  it('lets an operator mark an interrupted migration as applied after checking the schema', async () => {
    const db = await freshDatabase();
    const name = '20991231000000_manual';
    const root = migrationsWith({ [name]: 'CREATE TABLE manual_probe (id INTEGER);\n' });
    await migrateDatabase({ databaseUrl: db.url });
    // Its change is already there (as after a crash right after it ran): re-running it would fail.
    await rawQuery(db.url, 'CREATE TABLE manual_probe (id INTEGER)');
    await expect(migrateDatabase({ databaseUrl: db.url, migrationsRoot: root })).rejects.toThrow(/--mark-applied 20991231000000_manual/);
    await markMigration({ databaseUrl: db.url, migrationName: name, as: 'applied', migrationsRoot: root });
    expect(await migrateDatabase({ databaseUrl: db.url, migrationsRoot: root })).toEqual({ applied: [], retried: [] });
    expect((await appliedRows(db.url)).filter((r) => r.migration_name === name && r.finished_at !== null)).toHaveLength(1);
  });

  it.runIf(provider === 'sqlite')('is not blocked by a migration lock whose holder was killed', async () => {
    const db = await freshDatabase();
    const lockFile = `${db.url.slice('file:'.length)}.migrate.lock`;
    // Another process takes the lock, says so, and is then killed without a chance to release it.
    const holder = spawn(
      process.execPath,
      ['-e', `const D=require('better-sqlite3');const d=new D(${JSON.stringify(lockFile)});d.exec('BEGIN EXCLUSIVE');console.log('locked');setInterval(()=>{},1000)`],
      { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
    let done = false;
    const migrating = migrateDatabase({ databaseUrl: db.url }).then((r) => ((done = true), r));
    await new Promise((r) => setTimeout(r, 400));
    expect(done).toBe(false); // waits while the holder lives
    holder.kill('SIGKILL');
    expect((await migrating).applied.length).toBeGreaterThan(0);
  });

  it('refuses a migration folder without migration.sql', async () => {
    const db = await freshDatabase();
    const root = migrationsWith({});
    mkdirSync(path.join(root, provider, '20991231000000_empty'));
    await expect(migrateDatabase({ databaseUrl: db.url, migrationsRoot: root })).rejects.toThrow(/"20991231000000_empty" has no migration.sql/);
  });

  it('applies every migration on a fresh database, records it like Prisma, and is a no-op the second time', async () => {
    const db = await freshDatabase();
    expect(providerOf(db.url)).toBe(provider);
    const first = await migrateDatabase({ databaseUrl: db.url });
    expect(first.applied.length).toBeGreaterThan(0);
    expect(await tableNames(db.url)).toEqual(
      expect.arrayContaining(['_prisma_migrations', 'user', 'session', 'account', 'verification', 'user_role', 'setting', 'notification', 'rate_limit']),
    );
    expect((await appliedRows(db.url)).every((r) => r.finished_at !== null)).toBe(true);
    expect(await migrateDatabase({ databaseUrl: db.url })).toEqual({ applied: [], retried: [] });
  });

  it('applies each migration once when several processes start together', async () => {
    const db = await freshDatabase();
    const results = await Promise.all([1, 2, 3].map(() => migrateDatabase({ databaseUrl: db.url })));
    const applied = results.flatMap((r) => r.applied);
    expect(new Set(applied).size).toBe(applied.length);
    expect((await appliedRows(db.url)).length).toBe(applied.length);
  });

  it('has migrations that produce exactly schema.prisma (no schema change without a migration)', async () => {
    const db = await freshDatabase();
    expect(await diffMigrationsToSchema({ databaseUrl: db.url })).toBeNull();
    const drifted = readFileSync(path.join(process.cwd(), 'prisma', 'schema.prisma'), 'utf8').replace(
      'model Setting {',
      'model Probe {\n  id Int @id\n}\n\nmodel Setting {',
    );
    expect(await diffMigrationsToSchema({ databaseUrl: db.url, schemaText: drifted })).toMatch(/CREATE TABLE "Probe"/);
  });
});
