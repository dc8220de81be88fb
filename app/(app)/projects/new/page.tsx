import type { Metadata } from 'next';
import { requirePageUser } from '@/app/_lib/page-guard';
import { ProjectForm } from '@/components/projects/ProjectForm';
import { PageHeader } from '@/components/ui/PageHeader';
import { PURPOSE_OPTIONS } from '@/lib/consent/purposes';
import { modelChoices } from '@/lib/inference/model-choices';
import { findUsers } from '@/lib/users/find-users';
import { createProjectAction } from '../actions';

export const metadata: Metadata = { title: 'New project' };

export default async function NewProjectPage() {
  await requirePageUser({ area: 'projects', roles: ['ml_engineer', 'admin'] });
  const radiologists = (await findUsers({ role: 'radiologist', status: 'active' })).map(({ id, name, email }) => ({ id, name, email }));
  const models = await modelChoices([]);
  return (
    <>
      <PageHeader title="New project" description="Studies are added on the project's page once it exists, by picking them or by a worklist query." />
      <ProjectForm radiologists={radiologists} models={models} purposes={PURPOSE_OPTIONS} action={createProjectAction} />
    </>
  );
}
