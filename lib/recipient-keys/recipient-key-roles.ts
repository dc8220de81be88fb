import type { Role } from '@/lib/auth/roles';

/** Who may register dataset keys and be shared private versions: every signed-in role but patient. */
export const RECIPIENT_KEY_ROLES: Role[] = ['radiologist', 'ml_engineer', 'admin'];
