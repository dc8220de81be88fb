import { withAuth } from '@/lib/http/with-auth';
import { getProposal } from '@/lib/inference/proposals';
import { PROJECTS_READ } from '@/lib/projects/project-roles';

/** An AI proposal with its provenance and labelmap (rle1, base64), for the project's members and managers. */
export const GET = withAuth<{ proposalId: string }>(async ({ user, params }) => Response.json(await getProposal(user, params.proposalId)), PROJECTS_READ);
