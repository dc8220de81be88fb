import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import { formatRecipient, parseRecipient } from '@/lib/keys/age-keys';
import { toRecipientKeyView, type RecipientKeyView } from './recipient-key-view';
import type { RegisterRecipientKeyInput } from './schemas';

/** Active keys one user may hold: one per machine they decrypt on, few enough to review. */
export const MAX_RECIPIENT_KEYS_PER_USER = 20;

/**
 * Registers an age X25519 public key (`age1…`) for `userId`, stored in its canonical lowercase form.
 * Only the public half ever reaches Cohort: the identity stays with its holder.
 */
export async function registerRecipientKey(userId: string, input: RegisterRecipientKeyInput): Promise<RecipientKeyView> {
  let recipient: string;
  try {
    recipient = formatRecipient(parseRecipient(input.recipient).publicKey);
  } catch (err) {
    throw new AppError('BAD_REQUEST', (err as Error).message, { fields: { recipient: [(err as Error).message] } });
  }
  const row = await getDb().$transaction(async (tx) => {
    const active = await tx.recipientKey.findMany({ where: { userId, revokedAt: null }, select: { label: true, recipient: true } });
    const same = active.find((k) => k.recipient === recipient);
    if (same) throw new AppError('CONFLICT', `You already registered this key as "${same.label}".`);
    if (active.length >= MAX_RECIPIENT_KEYS_PER_USER) throw new AppError('CONFLICT', `You already have ${active.length} active keys: remove one you no longer use first.`);
    return tx.recipientKey.create({ data: { userId, label: input.label, recipient } });
  });
  return toRecipientKeyView(row);
}
