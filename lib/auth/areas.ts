import type { Role } from './roles';

/**
 * The parts of Cohort and who may open them: the one table both navigation and page guards read,
 * so a link is shown exactly when following it is allowed.
 */
export const AREAS = {
  studies: {
    href: '/studies',
    label: 'Studies',
    roles: ['radiologist', 'admin'],
    summary: 'The worklist: every stored study, searchable, with its series.',
  },
  projects: {
    href: '/projects',
    label: 'Projects',
    roles: ['radiologist', 'ml_engineer', 'admin'],
    summary: 'Labeling projects: schema, readers, reviewers and progress.',
  },
  models: {
    href: '/models',
    label: 'Models',
    roles: ['ml_engineer', 'admin'],
    summary: 'ONNX models that pre-annotate studies, with their provenance.',
  },
  datasets: {
    href: '/datasets',
    label: 'Datasets',
    roles: ['ml_engineer', 'admin'],
    summary: 'Consented, de-identified dataset versions published to IPFS.',
  },
  ledger: {
    href: '/ledger',
    label: 'Ledger',
    roles: ['admin', 'ml_engineer', 'radiologist'],
    summary: 'The tamper-evident record of consent, contributions and publications.',
  },
  me: {
    href: '/me',
    label: 'My studies',
    roles: ['patient'],
    summary: 'Your imaging studies and the decisions you made about their use.',
  },
  admin: {
    href: '/admin',
    label: 'Admin',
    roles: ['admin'],
    summary: 'Users and roles, installation settings, ingest and jobs.',
  },
} as const satisfies Record<string, { href: string; label: string; roles: readonly Role[]; summary: string }>;

export type AreaKey = keyof typeof AREAS;
export type Area = (typeof AREAS)[AreaKey] & { key: AreaKey };

export function canAccessArea(roles: readonly Role[], area: AreaKey): boolean {
  return (AREAS[area].roles as readonly Role[]).some((role) => roles.includes(role));
}

export function areasFor(roles: readonly Role[]): Area[] {
  return (Object.keys(AREAS) as AreaKey[])
    .filter((key) => canAccessArea(roles, key))
    .map((key) => ({ key, ...AREAS[key] }));
}
