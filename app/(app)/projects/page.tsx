import type { Metadata } from 'next';
import { requirePageUser } from '@/app/_lib/page-guard';
import { EmptyState } from '@/components/ui/EmptyState';
import { icons } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/PageHeader';

export const metadata: Metadata = { title: 'Projects' };

export default async function ProjectsPage() {
  await requirePageUser({ area: 'projects' });
  return (
    <>
      <PageHeader title="Projects" description="Labeling projects: the studies, the label schema, readers, reviewers and progress." />
      <EmptyState icon={icons.projects(40)} title="No labeling projects yet">
        <p>
          An ML engineer sets up a project: the studies or series to label, a versioned label schema
          (segmentation classes, boxes, classification questions), readers and reviewers, and optionally a
          model that pre-annotates.
        </p>
        <p>Projects need studies and the viewer first; they come after ingest.</p>
      </EmptyState>
    </>
  );
}
