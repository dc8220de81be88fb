import { afterAll, describe, expect, it } from 'vitest';
import * as healthRoute from '@/app/api/health/route';
import { createDb } from '@/lib/db/client';
import { isDatabaseUnavailable } from '@/lib/db/errors';
import { env } from '@/lib/config/env';
import { createHeliaBackend } from '@/lib/ipfs/create-helia-node';
import { getIpfs, stopIpfs } from '@/lib/ipfs/get-ipfs';
import { createKuboBackend } from '@/lib/ipfs/kubo-backend';
import { callRoute } from '../helpers/api';
import { startTcpProxy } from '../helpers/tcp-proxy';

const provider = process.env.COHORT_TEST_DB === 'postgresql' ? 'postgresql' : 'sqlite';

// Health starts the embedded IPFS node when nothing has yet.
afterAll(() => stopIpfs());

describe('GET /api/health', () => {
  it('reports database, storage, models, IPFS and version without a session', async () => {
    const res = await callRoute(healthRoute, 'GET', '/api/health');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.json).toMatchObject({
      status: 'ok',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      db: { ok: true, provider, latencyMs: expect.any(Number) },
      storage: { ok: true, freeBytes: expect.any(Number) },
      // The shipped models, loaded and verified (hash, graph, a dummy run).
      models: { ok: true, ready: 2 },
      // The first check starts the embedded node; a cold start may outlast it.
      ipfs: { ok: true, backend: 'helia', state: expect.stringMatching(/^(starting|ready)$/) },
      video: { ok: true, decoder: 'ffmpeg' },
    });
    await getIpfs();
    const again = await callRoute(healthRoute, 'GET', '/api/health');
    expect(again.json.ipfs).toMatchObject({ ok: true, backend: 'helia', state: 'ready', peerId: expect.stringMatching(/^12D3KooW/) });
    // Public: no listen addresses.
    expect(again.json.ipfs).not.toHaveProperty('multiaddrs');
  });

  it('reports an unreachable IPFS node without taking the server out of rotation', async () => {
    const globals = globalThis as { __cohortIpfs?: Promise<unknown>; __cohortIpfsReady?: unknown };
    const previous = { ipfs: globals.__cohortIpfs, ready: globals.__cohortIpfsReady };
    // Kubo at an address fetch will not even dial (port 9: "bad port").
    const kubo = createKuboBackend({ url: 'http://127.0.0.1:9', timeoutMs: 1_000 });
    globals.__cohortIpfs = Promise.resolve(kubo);
    globals.__cohortIpfsReady = kubo;
    try {
      const res = await callRoute(healthRoute, 'GET', '/api/health');
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ status: 'ok', ipfs: { ok: false, error: expect.stringMatching(/unreachable/) } });
      expect(res.text).not.toMatch(/127\.0\.0\.1/);
    } finally {
      globals.__cohortIpfs = previous.ipfs;
      globals.__cohortIpfsReady = previous.ready;
    }
  });

  it('reports a missing video decoder without taking the server out of rotation', async () => {
    const installed = env.COHORT_FFMPEG;
    (env as { COHORT_FFMPEG: string }).COHORT_FFMPEG = '/nonexistent/ffmpeg';
    try {
      const res = await callRoute(healthRoute, 'GET', '/api/health');
      expect(res.json).toMatchObject({ status: 'ok', video: { ok: false, error: 'ffmpeg is not installed: video series cannot be viewed' } });
    } finally {
      (env as { COHORT_FFMPEG: string }).COHORT_FFMPEG = installed;
    }
  });

  it('reports an IPFS node that cannot start, and why', async () => {
    await stopIpfs();
    // Another node holds the repository (as `cohort` commands run beside the server would).
    const squatter = await createHeliaBackend({ dir: env.ipfsDir, listen: [], timeoutMs: 1_000 });
    try {
      const res = await callRoute(healthRoute, 'GET', '/api/health');
      expect(res.status).toBe(200);
      expect(res.json.ipfs).toMatchObject({ ok: false, error: expect.stringMatching(/in use/) });
    } finally {
      await squatter.stop();
    }
    await expect.poll(async () => (await callRoute(healthRoute, 'GET', '/api/health')).json.ipfs, { timeout: 15_000 }).toMatchObject({ ok: true, state: 'ready' });
  });
});

describe.runIf(provider === 'postgresql')('when PostgreSQL goes away', () => {
  it('health says so with 503, queries fail as "unavailable", the process survives, and it recovers', async () => {
    const real = new URL(process.env.DATABASE_URL!);
    const proxy = await startTcpProxy({ host: real.hostname, port: Number(real.port || 5432) });
    const viaProxy = new URL(real);
    viaProxy.port = String(proxy.port);
    // The app's own client, pointed at the relay instead of the server.
    const db = createDb(viaProxy.toString());
    const globals = globalThis as { __cohortDb?: unknown };
    const previous = globals.__cohortDb;
    globals.__cohortDb = db;
    try {
      expect((await callRoute(healthRoute, 'GET', '/api/health')).status).toBe(200);

      await proxy.cut();
      const down = await callRoute(healthRoute, 'GET', '/api/health');
      expect(down.status).toBe(503);
      expect(down.json).toMatchObject({ status: 'degraded', db: { ok: false, error: 'unreachable' }, storage: { ok: true } });
      expect(down.text).not.toMatch(/127\.0\.0\.1|cohort_test|password/);
      const failure = await db.user.count().catch((e: unknown) => e);
      expect(isDatabaseUnavailable(failure)).toBe(true);

      await proxy.restore();
      await expect.poll(async () => (await callRoute(healthRoute, 'GET', '/api/health')).status, { timeout: 15_000 }).toBe(200);
      expect(await db.user.count()).toBeGreaterThanOrEqual(0);
    } finally {
      globals.__cohortDb = previous;
      await db.$disconnect();
      await proxy.cut().catch(() => {});
    }
  });
});
