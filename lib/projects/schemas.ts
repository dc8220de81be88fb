import { z } from 'zod';
import { CONSENT_PURPOSES } from '@/lib/consent/purposes';
import { ZLabelSchema } from '@/lib/annotations/label-schema';

export const PROJECT_ROLES = ['reader', 'reviewer'] as const;
export type ProjectRole = (typeof PROJECT_ROLES)[number];

const ZUserIds = z.array(z.string().min(1).max(64)).max(200).default([]);
const ZModelName = z.string().regex(/^[a-z][a-z0-9-]{1,63}$/, 'a model name from the registry');
const ZModality = z.string().trim().toUpperCase().regex(/^[A-Z0-9_]{1,16}$/, 'a DICOM modality code such as CT or MR');

export const ZCreateProjectInput = z.object({
  name: z.string().trim().min(1, 'Give the project a name.').max(120),
  purpose: z.string().trim().max(2000).default(''),
  /** Modalities of the series to label; empty means every series. */
  modalities: z.array(ZModality).max(16).default([]),
  /** Text the descriptions of the series to label contain (any case, alternatives separated by "|"); empty means any. */
  seriesDescription: z.string().trim().max(128).default(''),
  readersPerStudy: z.coerce.number().int().min(1).max(10).default(1),
  /** The model that pre-annotates the project's studies as they join (a registry name), or none. */
  modelName: ZModelName.nullable().default(null),
  /** The use its labels and datasets are for: patients who have not decided on it are asked. */
  consentPurpose: z.enum(CONSENT_PURPOSES).nullable().default(null),
  schema: ZLabelSchema,
  readers: ZUserIds,
  reviewers: ZUserIds,
});
export type CreateProjectInput = z.infer<typeof ZCreateProjectInput>;

export const ZProjectMembersInput = z.object({ readers: ZUserIds, reviewers: ZUserIds });
export type ProjectMembersInput = z.infer<typeof ZProjectMembersInput>;

export const ZSchemaVersionInput = z.object({ schema: ZLabelSchema });

/**
 * Studies to add: picked ones, or every study a worklist query matches (the same filters as the
 * study list, minus paging; patient text search is left out so ML engineers never search by name).
 */
export const ZAddProjectStudiesInput = z.union([
  z.object({ studyIds: z.array(z.string().min(1).max(64)).min(1).max(5000) }).strict(),
  z
    .object({
      query: z
        .object({
          modality: ZModality.optional(),
          description: z.string().trim().max(128).optional(),
          /** Studies with a series (of `modality`, when given) whose description contains this, any case. */
          seriesDescription: z.string().trim().max(128).optional(),
          from: z.iso.date().optional(),
          to: z.iso.date().optional(),
        })
        .strict(),
    })
    .strict(),
]);
export type AddProjectStudiesInput = z.infer<typeof ZAddProjectStudiesInput>;

export const ZRemoveProjectStudyInput = z.object({ studyId: z.string().min(1).max(64) });

export const ZArchiveProjectInput = z.object({ archived: z.boolean() }).strict();

export const ZProjectModelInput = z.object({ modelName: ZModelName.nullable() }).strict();

/** Which series of its studies the project labels (lib/projects/series-rule.client.ts). */
export const ZProjectSeriesRuleInput = z
  .object({ seriesRule: z.object({ modalities: z.array(ZModality).max(16), seriesDescription: z.string().trim().max(128) }).strict() })
  .strict();
export type ProjectSeriesRuleInput = z.infer<typeof ZProjectSeriesRuleInput>;

/** PUT /api/projects/{id}/studies/{studyId}/series/{uid}: label the series, leave it out, or (null) let the series rule decide. */
export const ZSeriesChoiceInput = z.object({ toLabel: z.boolean().nullable() }).strict();

export const ZProjectConsentPurposeInput = z.object({ consentPurpose: z.enum(CONSENT_PURPOSES).nullable() }).strict();

/** PATCH /api/projects/{id}: archive or restore, attach a model, declare the consent its data needs, or change the series it labels. */
export const ZUpdateProjectInput = z.union([ZArchiveProjectInput, ZProjectModelInput, ZProjectConsentPurposeInput, ZProjectSeriesRuleInput]);
