import { z } from 'zod';

export const ROLES = ['admin', 'radiologist', 'ml_engineer', 'patient'] as const;
export type Role = (typeof ROLES)[number];
export const ZRole = z.enum(ROLES);

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Admin',
  radiologist: 'Radiologist',
  ml_engineer: 'ML engineer',
  patient: 'Patient',
};

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  admin: 'Manages users, ingests studies, watches jobs and verifies the ledger.',
  radiologist: 'Reads studies, corrects AI pre-annotations, labels and reviews.',
  ml_engineer: 'Sets up labeling projects and models, builds and publishes datasets.',
  patient: 'Sees their own studies and decides how each may be used.',
};

/** Roles from storage, unknown values dropped (a role removed from the code grants nothing). */
export function toRoles(values: readonly string[]): Role[] {
  return ROLES.filter((role) => values.includes(role));
}
