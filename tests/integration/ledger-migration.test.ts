/**
 * A ledger written before Merkle nodes moved onto their entries (migration
 * *_ledger_nodes_on_entries) keeps every node through the upgrade: it verifies afterwards, and the
 * database then enforces the chain.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalize } from '@/lib/ledger/canonical-json';
import { migrateDatabase } from '@/lib/db/migrate';
import { leafHash, MemoryTree } from '@/lib/ledger/merkle';
import { verifyLedger } from '@/lib/ledger/verify-ledger';
import { sampleEntry } from '../helpers/ledger';
import { migrationsUpTo } from '../helpers/migrations-up-to';
import { rawQuery } from '../helpers/raw-sql';
import { createTestDatabase } from '../helpers/test-database';

const provider = process.env.COHORT_TEST_DB === 'postgresql' ? 'postgresql' : 'sqlite';
const LAST_WITH_NODE_TABLE = '20261128185447_ledger';
const SIZE = 45;

const scratch: string[] = [];
afterAll(() => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe(`ledger migration: nodes onto entries (${provider})`, () => {
  it('carries every Merkle node of an existing ledger over, and it verifies', async () => {
    const database = await createTestDatabase(provider);
    try {
      const oldRoot = migrationsUpTo(provider, LAST_WITH_NODE_TABLE);
      scratch.push(oldRoot);
      await migrateDatabase({ databaseUrl: database.url, migrationsRoot: oldRoot });

      // The old layout, written as the old appendEntry did: entries, and every perfect subtree in ledger_node.
      const bytes = (b: Uint8Array) => (provider === 'sqlite' ? `X'${Buffer.from(b).toString('hex')}'` : `'\\x${Buffer.from(b).toString('hex')}'::bytea`);
      const tree = new MemoryTree();
      let prev: Buffer = Buffer.alloc(32);
      const time = '2026-11-28T12:00:00.000Z';
      for (let seq = 0; seq < SIZE; seq++) {
        const { type, actor, subjects, payload } = sampleEntry(seq);
        const canonical = canonicalize({ v: 1, seq, time, type, actor, subjects, payload, prev: prev.toString('hex') });
        const leaf = leafHash(Buffer.from(canonical));
        const recordedAt = provider === 'sqlite' ? time.replace('Z', '+00:00') : time;
        await rawQuery(
          database.url,
          `INSERT INTO ledger_entry (seq, type, actor, recorded_at, leaf_hash, prev_hash, canonical) VALUES (${seq}, '${type}', '${actor}', '${recordedAt}', ${bytes(leaf)}, ${bytes(prev)}, '${canonical}')`,
        );
        for (const { ref, hash } of tree.append(leaf)) {
          await rawQuery(database.url, `INSERT INTO ledger_node (level, idx, hash) VALUES (${ref.level}, ${ref.index}, ${bytes(hash)})`);
        }
        prev = leaf;
      }

      const { applied } = await migrateDatabase({ databaseUrl: database.url });
      expect(applied.some((name) => name.endsWith('_ledger_nodes_on_entries'))).toBe(true);
      expect(await verifyLedger({ databaseUrl: database.url })).toMatchObject({ ok: true, entries: SIZE, root: tree.root().toString('base64') });
      await expect(rawQuery(database.url, 'SELECT 1 FROM ledger_node')).rejects.toThrow();
      await expect(rawQuery(database.url, 'UPDATE ledger_entry SET nodes = leaf_hash')).rejects.toThrow(/append-only/);
    } finally {
      await database.drop();
    }
  });
});
