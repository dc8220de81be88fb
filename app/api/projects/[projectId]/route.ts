import { readJson } from '@/lib/http/read-json';
import { withAuth } from '@/lib/http/with-auth';
import { setProjectArchived } from '@/lib/projects/archive-project';
import { getProject } from '@/lib/projects/get-project';
import { PROJECTS_MANAGE, PROJECTS_READ } from '@/lib/projects/project-roles';
import { ZUpdateProjectInput } from '@/lib/projects/schemas';
import { setProjectConsentPurpose } from '@/lib/projects/set-project-consent-purpose';
import { setProjectModel } from '@/lib/projects/set-project-model';
import { setProjectSeriesRule } from '@/lib/projects/set-project-series-rule';

export const GET = withAuth<{ projectId: string }>(async ({ user, params }) => Response.json(await getProject(user, params.projectId)), PROJECTS_READ);

/**
 * Archives (`{ "archived": true }`) or restores the project, attaches its pre-annotation model
 * (`{ "modelName": … | null }`), declares the use its data needs consent for (`{ "consentPurpose": … | null }`),
 * or changes the series it labels (`{ "seriesRule": { "modalities": […], "seriesDescription": "…" } }`).
 */
export const PATCH = withAuth<{ projectId: string }>(async ({ req, user, params }) => {
  const input = ZUpdateProjectInput.parse(await readJson(req));
  if ('archived' in input) return Response.json(await setProjectArchived({ user, projectId: params.projectId, archived: input.archived }));
  if ('consentPurpose' in input) return Response.json(await setProjectConsentPurpose({ user, projectId: params.projectId, consentPurpose: input.consentPurpose }));
  if ('seriesRule' in input) return Response.json(await setProjectSeriesRule({ user, projectId: params.projectId, input }));
  return Response.json(await setProjectModel({ user, projectId: params.projectId, modelName: input.modelName }));
}, PROJECTS_MANAGE);
