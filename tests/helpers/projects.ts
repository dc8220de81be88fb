import { addProjectStudies } from '@/lib/projects/add-project-studies';
import { createProject } from '@/lib/projects/create-project';
import { ZCreateProjectInput } from '@/lib/projects/schemas';
import { makeUser } from './users';

/**
 * A radiologist who reads every study stored so far (through one project holding them all): what
 * DICOMweb tests need, now that radiologists read only their projects' studies.
 */
export async function makeReaderOfAllStudies(actorId: string) {
  const radiologist = await makeUser(['radiologist']);
  const { id: projectId } = await createProject({
    input: ZCreateProjectInput.parse({ name: `Everything for ${radiologist.email}`, schema: { segments: [{ value: 1, name: 'Any', color: '#ff0000' }] }, readers: [radiologist.id] }),
    actorId,
  });
  await addProjectStudies({ projectId, input: { query: {} } });
  return radiologist;
}
