/**
 * Web apps on other origins (COHORT_DICOMWEB_ORIGINS, e.g. an OHIF Viewer hosted elsewhere) read
 * DICOMweb with an access token: CORS headers for those origins only, on answers and refusals alike,
 * a preflight that allows reads with an Authorization header, never credentials, never writes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tokensRoute from '@/app/api/account/tokens/route';
import * as studiesRoute from '@/app/dicomweb/studies/route';
import * as seriesRoute from '@/app/dicomweb/studies/[study]/series/route';
import { env } from '@/lib/config/env';
import { syntheticCtSeries } from '@/lib/dicom/synthetic-ct';
import { callRoute, signInOrThrow, type Session } from '../helpers/api';
import { stowBody } from '../helpers/multipart';
import { makeReaderOfAllStudies } from '../helpers/projects';
import { makeUser } from '../helpers/users';

const ALLOWED = 'https://ohif.example.org';
const OTHER = 'https://evil.example';
let session: Session;
let token: string;
let adminToken: string;
let studyUid: string;
const before = env.dicomwebOrigins;

beforeAll(async () => {
  env.dicomwebOrigins = [ALLOWED];
  const admin = await makeUser(['admin']);
  const adminSession = await signInOrThrow(admin.email, admin.password);
  const make = async (s: Session) => (await callRoute(tokensRoute, 'POST', '/api/account/tokens', { session: s, body: { name: 'OHIF elsewhere', expiresInDays: 30 } })).json.token as string;
  adminToken = await make(adminSession);
  const [slice] = syntheticCtSeries({ slices: 1, seed: 3 });
  const { body, contentType } = stowBody([slice!]);
  const stored = await callRoute(studiesRoute, 'POST', '/dicomweb/studies', { rawBody: body, headers: { authorization: `Bearer ${adminToken}`, 'content-type': contentType } });
  expect(stored.status).toBe(200);
  studyUid = (stored.json['00081190'] as { Value: string[] }).Value[0]!.split('/').pop()!;
  // A radiologist reading every study, the new one included.
  const radiologist = await makeReaderOfAllStudies(admin.id);
  session = await signInOrThrow(radiologist.email, radiologist.password);
  token = await make(session);
});
afterAll(() => {
  env.dicomwebOrigins = before;
});

const read = (origin: string | null, auth: Record<string, string>) =>
  callRoute(seriesRoute, 'GET', `/dicomweb/studies/${studyUid}/series`, { params: { study: studyUid }, headers: { ...auth, ...(origin ? { origin } : {}) } });

describe('DICOMweb for web apps on other origins', () => {
  it('lets an allowed origin read with a token: its origin echoed, no credentials, Vary: Origin', async () => {
    const res = await read(ALLOWED, { authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(res.headers.get('access-control-expose-headers')).toContain('Content-Type');
    expect(res.headers.get('vary')).toContain('Origin');
    expect(res.json).toHaveLength(1);
  });

  it('lets that origin read refusals too (401 without a token, 404 for a study not there), so a client can say why', async () => {
    const anonymous = await read(ALLOWED, {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    const missing = await callRoute(seriesRoute, 'GET', '/dicomweb/studies/1.2.3/series', { params: { study: '1.2.3' }, headers: { authorization: `Bearer ${token}`, origin: ALLOWED } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('access-control-allow-origin')).toBe(ALLOWED);
  });

  it('gives any other origin, and same-origin callers, no CORS permission', async () => {
    for (const origin of [OTHER, null]) {
      const res = await read(origin, { authorization: `Bearer ${token}` });
      expect(res.status).toBe(200); // the server answers; a browser on another origin may not read it
      expect(res.headers.get('access-control-allow-origin'), String(origin)).toBeNull();
    }
    // The session cookie works as before on Cohort's own origin, and never with CORS credentials.
    const cookie = await read(ALLOWED, { cookie: session.cookie });
    expect(cookie.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('answers the preflight of a read for an allowed origin only: GET with Authorization', async () => {
    const preflight = (origin: string) =>
      callRoute(seriesRoute, 'OPTIONS', `/dicomweb/studies/${studyUid}/series`, {
        params: { study: studyUid },
        headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
      });
    const allowed = await preflight(ALLOWED);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(allowed.headers.get('access-control-allow-methods')).toBe('GET, HEAD');
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    const other = await preflight(OTHER);
    expect(other.status).toBe(204);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('never opens writes: STOW-RS from an allowed origin is refused and carries no CORS permission', async () => {
    const { body, contentType } = stowBody([syntheticCtSeries({ slices: 1, seed: 4 })[0]!]);
    const res = await callRoute(studiesRoute, 'POST', '/dicomweb/studies', { rawBody: body, headers: { authorization: `Bearer ${adminToken}`, 'content-type': contentType, origin: ALLOWED } });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});
