import { getDb } from '@/lib/db/client';
import { appendEntry } from '@/lib/ledger/append-entry';
import type { NewLedgerEntry } from '@/lib/ledger/entry-types';
import { rawQuery } from './raw-sql';

export const TEST_ACTOR = 'p_abcdefghijklmnopqrstuvwxyz';

export function sampleEntry(i: number): NewLedgerEntry {
  return { type: 'consent.granted', actor: TEST_ACTOR, subjects: [`study-${i}`], payload: { purpose: 'research', n: i } };
}

/** Appends `count` entries, each in its own transaction (as domain code does). */
export async function appendSamples(count: number, offset = 0) {
  const db = getDb();
  const appended = [];
  for (let i = 0; i < count; i++) appended.push(await db.$transaction((tx) => appendEntry(tx, sampleEntry(offset + i))));
  return appended;
}

/** Switches off the append-only and chain triggers, as someone with direct database access could. */
export async function allowTampering(databaseUrl: string) {
  const tables = ['ledger_entry', 'ledger_checkpoint'];
  if (databaseUrl.startsWith('file:')) {
    for (const t of tables) {
      await rawQuery(databaseUrl, `DROP TRIGGER IF EXISTS "${t}_no_update"`);
      await rawQuery(databaseUrl, `DROP TRIGGER IF EXISTS "${t}_no_delete"`);
    }
    await rawQuery(databaseUrl, 'DROP TRIGGER IF EXISTS "ledger_entry_chain"');
  } else {
    for (const t of tables) await rawQuery(databaseUrl, `ALTER TABLE "${t}" DISABLE TRIGGER USER`);
  }
}
