import type { WithAuthOptions } from '@/lib/http/with-auth';

/** Who reaches the project routes at all; each project then checks membership (project-access.ts). */
export const PROJECTS_READ: WithAuthOptions = { roles: ['radiologist', 'ml_engineer', 'admin'] };
export const PROJECTS_MANAGE: WithAuthOptions = { roles: ['ml_engineer', 'admin'] };
