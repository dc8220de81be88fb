import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '@/lib/errors/app-error';
import { toErrorResponse } from '@/lib/http/error-response';
import { readJson } from '@/lib/http/read-json';
import { isDatabaseUnavailable } from '@/lib/db/errors';

const jsonRequest = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  new Request('http://x/api', { method: 'POST', headers, body });

describe('toErrorResponse', () => {
  it('never sends an unexpected error message or stack to the client', async () => {
    const res = toErrorResponse(new Error('SELECT * FROM secret_table failed at /srv/cohort/lib/x.ts:12'));
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toMatch(/secret_table|\/srv|x\.ts/);
    expect(JSON.parse(text)).toEqual({ error: 'INTERNAL', message: expect.any(String) });
  });

  it('maps a failed zod parse to 400 with the fields that failed', async () => {
    const parsed = z.object({ email: z.email(), roles: z.array(z.string()).min(1) }).safeParse({ email: 'nope', roles: [] });
    const res = toErrorResponse(parsed.error);
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error).toBe('BAD_REQUEST');
    expect(Object.keys(body.fields).sort()).toEqual(['email', 'roles']);
  });

  it('maps AppError codes to their statuses and an unreachable database to 503', async () => {
    expect(toErrorResponse(new AppError('NOT_FOUND', 'No such user.')).status).toBe(404);
    expect(toErrorResponse(new AppError('CONFLICT', 'x')).status).toBe(409);
    const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const res = toErrorResponse(down);
    expect(res.status).toBe(503);
    expect(await res.text()).not.toContain('5432');
  });
});

describe('readJson', () => {
  it('refuses bodies that are not declared JSON (a cross-site form cannot send JSON without preflight)', async () => {
    await expect(readJson(jsonRequest('{}', { 'content-type': 'text/plain' }))).rejects.toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    await expect(readJson(jsonRequest('a=b', { 'content-type': 'application/x-www-form-urlencoded' }))).rejects.toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
    });
  });

  it('refuses broken, empty and oversize JSON with clear errors', async () => {
    await expect(readJson(jsonRequest('{"name": '))).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/not valid JSON/) });
    await expect(readJson(jsonRequest(''))).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/empty/) });
    await expect(readJson(jsonRequest(JSON.stringify({ x: 'a'.repeat(2000) })), 1000)).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('parses JSON, including +json media types', async () => {
    expect(await readJson(jsonRequest('{"a":1}'))).toEqual({ a: 1 });
    expect(await readJson(jsonRequest('[1]', { 'content-type': 'application/merge-patch+json' }))).toEqual([1]);
  });
});

describe('isDatabaseUnavailable', () => {
  it('recognises connection failures through cause chains, and nothing else', () => {
    expect(isDatabaseUnavailable(new Error('boom'))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
    expect(isDatabaseUnavailable(new Error('wrapped', { cause: { code: 'ECONNREFUSED' } }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('x', { cause: { kind: 'DatabaseNotReachable' } }))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([new Error('a'), Object.assign(new Error('b'), { code: 'ECONNRESET' })]))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
  });
});
