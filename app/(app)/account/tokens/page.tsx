import type { Metadata } from 'next';
import { requirePageUser } from '@/app/_lib/page-guard';
import { AccessTokens } from '@/components/account/AccessTokens';
import { PageHeader } from '@/components/ui/PageHeader';
import { ACCESS_TOKEN_ROLES } from '@/lib/access-tokens/access-token-roles';
import { findAccessTokens } from '@/lib/access-tokens/find-access-tokens';
import { env } from '@/lib/config/env';

export const metadata: Metadata = { title: 'Access tokens' };

export default async function AccessTokensPage() {
  const user = await requirePageUser({ roles: ACCESS_TOKEN_ROLES });
  return (
    <>
      <PageHeader
        title="Access tokens"
        description="For programs that cannot sign in: a DICOMweb viewer such as OHIF, a PACS, a script. A token acts as you, with your roles, on Cohort's DICOMweb API, until it expires or you revoke it."
      />
      <AccessTokens initialTokens={await findAccessTokens(user.id)} dicomWebUrl={`${env.appUrl}/dicomweb`} />
    </>
  );
}
