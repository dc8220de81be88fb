import { ROLE_DESCRIPTIONS, ROLE_LABELS, ROLES, type Role } from './roles';

/** Roles as the admin forms present them. */
export function roleOptions(): { role: Role; label: string; description: string }[] {
  return ROLES.map((role) => ({ role, label: ROLE_LABELS[role], description: ROLE_DESCRIPTIONS[role] }));
}
