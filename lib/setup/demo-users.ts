import type { Role } from '@/lib/auth/roles';

/**
 * Demo accounts for trying Cohort: one per non-admin role plus a user holding two roles. Their
 * passwords are public (README), so they never hold the admin role; the admin's password is
 * generated (or COHORT_ADMIN_PASSWORD) and printed once.
 */
export const DEMO_USERS: { name: string; email: string; password: string; roles: Role[] }[] = [
  {
    name: 'Dana Reyes',
    email: 'radiologist@demo.cohort.local',
    password: 'demo-radiologist',
    roles: ['radiologist'],
  },
  { name: 'Sam Okafor', email: 'ml@demo.cohort.local', password: 'demo-ml-engineer', roles: ['ml_engineer'] },
  { name: 'Alex Morgan', email: 'patient@demo.cohort.local', password: 'demo-patient-01', roles: ['patient'] },
  {
    name: 'Lee Chen',
    email: 'lead@demo.cohort.local',
    password: 'demo-research-lead',
    roles: ['radiologist', 'ml_engineer'],
  },
];

export const DEMO_EMAIL_DOMAIN = '@demo.cohort.local';
