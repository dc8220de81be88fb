import { getConsentReceipt } from '@/lib/consent/get-consent-receipt';
import { withAuth } from '@/lib/http/with-auth';

/** The receipt of one of the patient's consent decisions, as a file: verifiable offline. */
export const GET = withAuth<{ decisionId: string }>(
  async ({ user, params }) => {
    const receipt = await getConsentReceipt({ userId: user.id, decisionId: params.decisionId });
    return new Response(JSON.stringify(receipt, null, 2) + '\n', {
      headers: { 'Content-Type': 'application/json', 'Content-Disposition': `attachment; filename="cohort-consent-${receipt.entry.seq}.proof.json"` },
    });
  },
  { roles: ['patient'] },
);
