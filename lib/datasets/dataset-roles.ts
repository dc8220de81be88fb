import type { WithAuthOptions } from '@/lib/http/with-auth';

/** Datasets are built, previewed and published by ML engineers and admins (the /datasets area). */
export const DATASETS_MANAGE: WithAuthOptions = { roles: ['ml_engineer', 'admin'] };
