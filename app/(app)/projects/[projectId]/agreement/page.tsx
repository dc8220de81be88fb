import type { Metadata } from 'next';
import Link from 'next/link';
import { forbidden } from 'next/navigation';
import { orNotFound } from '@/app/_lib/or-not-found';
import { requirePageUser } from '@/app/_lib/page-guard';
import { AgreementDashboard } from '@/components/projects/AgreementDashboard';
import { Card } from '@/components/ui/Card';
import { PageHeader } from '@/components/ui/PageHeader';
import { projectAgreement } from '@/lib/annotations/project-agreement';
import { isAppError } from '@/lib/errors/app-error';
import { getProject } from '@/lib/projects/get-project';

export const metadata: Metadata = { title: 'Agreement' };

/** Inter-reader agreement across a project: its own page, as it reads every reader's labelmaps. */
export default async function ProjectAgreementPage({ params }: { params: Promise<{ projectId: string }> }) {
  const user = await requirePageUser({ area: 'projects' });
  const { projectId } = await params;
  const project = await orNotFound(getProject(user, projectId));
  // Readers who do not review are refused it (they would see the other readers' labels).
  const agreement = await projectAgreement(user, projectId).catch((err: unknown) => {
    if (isAppError(err, 'FORBIDDEN')) forbidden();
    throw err;
  });
  return (
    <>
      <PageHeader
        title="Agreement"
        description={
          <Link href={`/projects/${projectId}`} className="text-brand-700 hover:underline dark:text-brand-500">
            {project.name}
          </Link>
        }
      />
      <Card>
        <AgreementDashboard agreement={agreement} csvHref={`/api/projects/${projectId}/agreement?format=csv`} />
      </Card>
    </>
  );
}
