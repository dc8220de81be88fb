import type { WithAuthOptions } from '@/lib/http/with-auth';

/**
 * Who may use DICOMweb: the roles that see imaging with its PHI read (the worklist's) and patients
 * (their own studies only, for the read-only viewer: see visibleStudiesWhere); admins store.
 * Sessions (the viewer) and access tokens (OHIF, a PACS, scripts) both work.
 */
export const DICOMWEB_READ: WithAuthOptions = { roles: ['radiologist', 'admin', 'patient'], acceptAccessTokens: true };
export const DICOMWEB_STORE: WithAuthOptions = { roles: ['admin'], acceptAccessTokens: true };
