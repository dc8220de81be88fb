import type { WithAuthOptions } from '@/lib/http/with-auth';

/**
 * Who may use DICOMweb: the roles that see imaging with its PHI read (the worklist's) and patients
 * (their own studies only, for the read-only viewer: see visibleStudiesWhere); admins store.
 * Sessions (the viewer) and access tokens (OHIF, a PACS, scripts) both work; web apps on the origins
 * of COHORT_DICOMWEB_ORIGINS may read with a token (lib/http/cross-origin-reads.ts).
 */
export const DICOMWEB_READ: WithAuthOptions = { roles: ['radiologist', 'admin', 'patient'], acceptAccessTokens: true, crossOriginReads: true };
export const DICOMWEB_STORE: WithAuthOptions = { roles: ['admin'], acceptAccessTokens: true };
