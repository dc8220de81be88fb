import { z } from 'zod';
import { ZRole } from '@/lib/auth/roles';

export const NOTIFICATION_KINDS = ['account', 'announcement', 'consent'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export type NewNotification = {
  kind: NotificationKind;
  title: string;
  body: string;
  /** A page inside Cohort the message is about. */
  href?: string;
};

export const ZBroadcastInput = z.object({
  title: z.string().trim().min(1, 'Enter a title').max(120),
  body: z.string().trim().min(1, 'Enter a message').max(2000),
  /** Only users holding one of these roles; all active users when empty. */
  roles: z.array(ZRole).default([]),
});
export type BroadcastInput = z.infer<typeof ZBroadcastInput>;

export const ZMarkReadInput = z.object({
  /** Ids to mark read; all of the user's notifications when omitted. */
  ids: z.array(z.string().min(1)).max(500).optional(),
});
