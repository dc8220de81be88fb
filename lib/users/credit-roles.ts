import type { Role } from '@/lib/auth/roles';

/** Who may ask to be credited by name in datasets: whoever can label or review, every role but patient. */
export const CREDIT_ROLES: Role[] = ['radiologist', 'ml_engineer', 'admin'];
