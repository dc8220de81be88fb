import { env } from '@/lib/config/env';
import { generatedSecret } from '@/lib/config/secrets';
import { generateSignerKey, parseSignerKey, parseVerifierKey, verifierKeyOf, type Signer, type Verifier } from './signed-note';

export type LogKey = { origin: string; signer: Signer; verifier: Verifier; verifierKey: string };

/**
 * The ledger's Ed25519 key, generated on first use into the data directory (or COHORT_LEDGER_SIGNING_KEY).
 * Its name is the log's origin, the first line of every checkpoint: `<host>/cohort/ledger`, fixed at
 * generation so checkpoints stay valid when the installation's URL changes later.
 */
export function getLogKey(): LogKey {
  const skey = generatedSecret('ledger-signing-key', () => generateSignerKey(defaultOrigin()).skey, {
    fromEnv: env.COHORT_LEDGER_SIGNING_KEY,
  });
  const signer = parseSignerKey(skey);
  const verifierKey = verifierKeyOf(skey);
  return { origin: signer.name, signer, verifier: parseVerifierKey(verifierKey), verifierKey };
}

function defaultOrigin(): string {
  return `${new URL(env.appUrl).host}/cohort/ledger`;
}
