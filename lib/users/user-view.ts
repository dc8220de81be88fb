import type { Prisma } from '@/lib/db/client';
import { toRoles, type Role } from '@/lib/auth/roles';

/** The fields of a user any admin screen or API may show; never the password or sessions. */
export const USER_VIEW_SELECT = {
  id: true,
  name: true,
  email: true,
  createdAt: true,
  deactivatedAt: true,
  mustChangePassword: true,
  roles: { select: { role: true } },
} satisfies Prisma.UserSelect;

type UserViewRow = Prisma.UserGetPayload<{ select: typeof USER_VIEW_SELECT }>;

export type UserView = {
  id: string;
  name: string;
  email: string;
  roles: Role[];
  status: 'active' | 'deactivated';
  mustChangePassword: boolean;
  createdAt: string;
  deactivatedAt: string | null;
};

export function toUserView(row: UserViewRow): UserView {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    roles: toRoles(row.roles.map((r) => r.role)),
    status: row.deactivatedAt ? 'deactivated' : 'active',
    mustChangePassword: row.mustChangePassword,
    createdAt: row.createdAt.toISOString(),
    deactivatedAt: row.deactivatedAt?.toISOString() ?? null,
  };
}
