import type { WithAuthOptions } from '@/lib/http/with-auth';

/**
 * Who may use DICOMweb: the roles that see imaging with its PHI read (the worklist's), admins store.
 * Sessions (the viewer) and access tokens (OHIF, a PACS, scripts) both work.
 */
export const DICOMWEB_READ: WithAuthOptions = { roles: ['radiologist', 'admin'], acceptAccessTokens: true };
export const DICOMWEB_STORE: WithAuthOptions = { roles: ['admin'], acceptAccessTokens: true };
