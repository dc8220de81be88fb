import { readJson } from '@/lib/http/read-json';
import { withAuth } from '@/lib/http/with-auth';
import { PROJECTS_MANAGE } from '@/lib/projects/project-roles';
import { ZSeriesChoiceInput } from '@/lib/projects/schemas';
import { setSeriesChoice } from '@/lib/projects/set-series-choice';

/** Labels the series although the rule leaves it out (`{ "toLabel": true }`), leaves it out (`false`), or lets the rule decide (`null`). */
export const PUT = withAuth<{ projectId: string; studyId: string; seriesInstanceUid: string }>(async ({ req, user, params }) => {
  const { toLabel } = ZSeriesChoiceInput.parse(await readJson(req));
  return Response.json(await setSeriesChoice({ user, ...params, toLabel }));
}, PROJECTS_MANAGE);
