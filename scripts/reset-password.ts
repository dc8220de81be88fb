/**
 * npm run user:reset-password -- <email>
 * For an admin locked out (lost the printed password): issues a new temporary password, printed once.
 */
import { closeDb, getDb } from '../lib/db/client';
import { resetUserPassword } from '../lib/users/reset-user-password';

const email = process.argv[2]?.trim().toLowerCase();
if (!email) {
  console.error('usage: npm run user:reset-password -- <email>');
  process.exit(2);
}
const user = await getDb().user.findUnique({ where: { email }, select: { id: true } });
if (!user) {
  console.error(`No user with the email ${email}.`);
  await closeDb();
  process.exit(1);
}
const { password } = await resetUserPassword({ userId: user.id });
await closeDb();
console.log(`Temporary password for ${email}: ${password}\nIt is shown only now; a new one must be chosen at sign-in.`);
