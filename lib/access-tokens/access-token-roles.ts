import type { Role } from '@/lib/auth/roles';

/** Who may hold tokens: the roles of the routes that take them (DICOMweb). Widen with those routes. */
export const ACCESS_TOKEN_ROLES: Role[] = ['radiologist', 'admin'];
