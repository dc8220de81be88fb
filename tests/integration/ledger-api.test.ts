import { beforeAll, describe, expect, it } from 'vitest';
import * as checkpointRoute from '@/app/api/ledger/checkpoint/route';
import * as entriesRoute from '@/app/api/ledger/entries/route';
import * as keyRoute from '@/app/api/ledger/key/route';
import * as bundleRoute from '@/app/api/ledger/entries/[seq]/proof/route';
import * as consistencyRoute from '@/app/api/ledger/proof/consistency/route';
import * as inclusionRoute from '@/app/api/ledger/proof/inclusion/route';
import * as verifyRoute from '@/app/api/ledger/verify/route';
import { verifyEntryProof, type EntryProofBundle } from '@/lib/ledger/entry-proof-bundle';
import { getLogKey } from '@/lib/ledger/log-key';
import { callRoute, signInOrThrow, type Session } from '../helpers/api';
import { appendSamples } from '../helpers/ledger';
import { makeUser } from '../helpers/users';

let admin: Session;
let patient: Session;

beforeAll(async () => {
  await appendSamples(10);
  const a = await makeUser(['admin']);
  const p = await makeUser(['patient']);
  admin = await signInOrThrow(a.email, a.password);
  patient = await signInOrThrow(p.email, p.password);
});

describe('ledger API', () => {
  it('answers 400 with a reason for proofs out of range and malformed queries', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [inclusionRoute, '?seq=10&size=10', /seq must be between 0 and 9/],
      [inclusionRoute, '?seq=0&size=11', /size must be between 1 and 10/],
      [inclusionRoute, '?seq=abc&size=3', /not valid/],
      [inclusionRoute, '?size=3', /not valid/],
      [consistencyRoute, '?from=0&to=5', /from must be between 1 and 5/],
      [consistencyRoute, '?from=6&to=5', /from must be between 1 and 5/],
      [consistencyRoute, '?from=1&to=99', /to must be between 1 and 10/],
      [entriesRoute, '?limit=5000', /not valid/],
      [entriesRoute, '?type=user.login', /not valid/],
    ];
    for (const [mod, query, message] of cases) {
      const path = mod === entriesRoute ? '/api/ledger/entries' : mod === inclusionRoute ? '/api/ledger/proof/inclusion' : '/api/ledger/proof/consistency';
      const res = await callRoute(mod, 'GET', path + query, { session: patient });
      expect(res.status, query).toBe(400);
      expect(res.json.message, query).toMatch(message);
    }
    const bundle = await callRoute(bundleRoute, 'GET', '/api/ledger/entries/999/proof', { session: patient, params: { seq: '999' } });
    expect(bundle.status).toBe(404);
  });

  it('lists PHI-free entries newest first, a page at a time', async () => {
    const first = await callRoute(entriesRoute, 'GET', '/api/ledger/entries?limit=4', { session: patient });
    expect(first.status).toBe(200);
    const page = first.json as { entries: { seq: number; subjects: string[]; payload: object; actor: string }[]; nextBefore: number };
    expect(page.entries.map((e) => e.seq)).toEqual([9, 8, 7, 6]);
    expect(page.entries[0]).toMatchObject({ subjects: ['study-9'], payload: { purpose: 'research', n: 9 }, actor: expect.stringMatching(/^p_/) });
    const next = await callRoute(entriesRoute, 'GET', `/api/ledger/entries?limit=4&before=${page.nextBefore}`, { session: patient });
    expect((next.json.entries as { seq: number }[]).map((e) => e.seq)).toEqual([5, 4, 3, 2]);
  });

  it('serves the public key, signs checkpoints on demand, and gives downloadable proofs that verify offline', async () => {
    const key = await callRoute(keyRoute, 'GET', '/api/ledger/key');
    expect(key.text.trim()).toBe(getLogKey().verifierKey);
    const signed = await callRoute(checkpointRoute, 'POST', '/api/ledger/checkpoint', { session: admin });
    expect(signed.status).toBe(201);
    expect(signed.json.checkpoint).toMatchObject({ treeSize: 10 });
    const download = await callRoute(bundleRoute, 'GET', '/api/ledger/entries/3/proof', { session: patient, params: { seq: '3' } });
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="cohort-ledger-entry-3.proof.json"');
    expect(verifyEntryProof(JSON.parse(download.text) as EntryProofBundle, { trustedVerifierKey: key.text.trim() })).toMatchObject({ ok: true, treeSize: 10 });
  });

  it('streams verification progress and the report as server-sent events', async () => {
    const res = await callRoute(verifyRoute, 'GET', '/api/ledger/verify', { session: admin });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const events = res.text.trim().split('\n\n').map((block) => ({ event: block.match(/^event: (\w+)/)![1], data: JSON.parse(block.match(/data: (.*)$/m)![1]!) }));
    expect(events.some((e) => e.event === 'progress' && e.data.phase === 'entries')).toBe(true);
    expect(events.at(-1)).toEqual({ event: 'result', data: expect.objectContaining({ ok: true, entries: 10, checkpoints: 1 }) });
  });
});
