import { getDb } from '@/lib/db/client';
import { addProjectStudies } from '@/lib/projects/add-project-studies';
import { createProject } from '@/lib/projects/create-project';
import { ZCreateProjectInput } from '@/lib/projects/schemas';
import { DEMO_USERS } from './demo-users';

export const DEMO_PROJECT_NAME = 'Demo: CT body, lungs and bone';

/**
 * A labeling project for a new demo installation, holding every demo study, so the demo radiologists
 * (who see only their projects' studies) have something to read: two independent readers per study
 * (agreement figures), the research lead reviewing. Only when there is no project yet.
 */
export async function seedDemoProject(actorUserId: string): Promise<boolean> {
  const db = getDb();
  if ((await db.project.count()) > 0) return false;
  const emails = (role: 'radiologist') => DEMO_USERS.filter((u) => u.roles.includes(role)).map((u) => u.email);
  const radiologists = await db.user.findMany({ where: { email: { in: emails('radiologist') } }, select: { id: true, email: true } });
  const lead = radiologists.find((u) => u.email === 'lead@demo.cohort.local');
  const input = ZCreateProjectInput.parse({
    name: DEMO_PROJECT_NAME,
    purpose: 'Segment body outline, lungs and bone on CT; box lesions; rate image quality. Two readers per study, reviewed by the research lead.',
    readersPerStudy: 2,
    schema: {
      segments: [
        { value: 1, name: 'Body', color: '#f4a261', code: { scheme: 'SCT', value: '38266002', meaning: 'Entire body as a whole' } },
        { value: 2, name: 'Lung', color: '#2a9d8f', code: { scheme: 'SCT', value: '39607008', meaning: 'Lung structure' } },
        { value: 3, name: 'Bone', color: '#e9c46a', code: { scheme: 'SCT', value: '272673000', meaning: 'Bone structure' } },
      ],
      boxes: [{ id: 'lesion', name: 'Lesion', color: '#e63946' }],
      polygons: [{ id: 'organ_outline', name: 'Organ outline', color: '#457b9d' }],
      questions: [
        {
          id: 'image_quality',
          question: 'Image quality',
          level: 'study',
          choices: [
            { id: 'good', label: 'Good' },
            { id: 'acceptable', label: 'Acceptable' },
            { id: 'poor', label: 'Poor' },
          ],
        },
      ],
    },
    readers: radiologists.map((u) => u.id),
    reviewers: lead ? [lead.id] : [],
  });
  const { id } = await createProject({ input, actorId: actorUserId });
  if ((await db.study.count()) > 0) await addProjectStudies({ projectId: id, input: { query: {} } });
  return true;
}
