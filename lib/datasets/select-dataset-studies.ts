import { canUse } from '@/lib/consent/can-use';
import type { ConsentStatus } from '@/lib/consent/consent-state';
import type { ConsentPurpose } from '@/lib/consent/purposes';
import { getDb } from '@/lib/db/client';
import { BURNED_IN_MODALITIES } from '@/lib/dicom/deidentify/burned-in-risk';
import { ZAnnotationContent } from '@/lib/annotations/schemas';
import { parseStoredSchema } from '@/lib/projects/schema-version';
import type { LabelSchema } from '@/lib/annotations/label-schema';
import type { ExclusionReason } from './exclusion-reasons';
import { labelClasses } from './label-classes';
import type { DatasetFilters, DatasetLabelStatus, DatasetSplit, Split } from './schemas';
import { splitPatients } from './split-patients';

/** What decides a dataset's content: a stored dataset or the form being filled in. */
export type DatasetDefinition = {
  projectIds: readonly string[];
  purpose: ConsentPurpose;
  labelStatus: DatasetLabelStatus;
  filters: DatasetFilters;
  split: DatasetSplit;
};

type StudyFacts = {
  studyId: string;
  patientId: string;
  studyDate: string;
  modalities: string[];
  description: string;
  /** An admin checked its images and found no burned-in text (lib/studies/set-burned-in-clearance.ts). */
  burnedInCleared: boolean;
};

/** A study in the dataset: the label it brings, its classes, its split and the consent that allows it. */
export type IncludedStudy = StudyFacts & {
  projectId: string;
  annotationId: string;
  annotationVersionId: string;
  labelStatus: string;
  classes: string[];
  split: Split;
  consent: ConsentStatus;
};
export type ExcludedStudy = StudyFacts & { reasons: ExclusionReason[] };

export type DatasetSelection = {
  /** When consent was evaluated. */
  at: Date;
  included: IncludedStudy[];
  excluded: ExcludedStudy[];
};

const CHUNK = 500;

const CONSENT_REASON: Record<ConsentStatus['state'], ExclusionReason> = {
  none: 'consent_none',
  granted: 'consent_none',
  denied: 'consent_denied',
  revoked: 'consent_revoked',
  expired: 'consent_expired',
};

/**
 * The studies a dataset would contain at `at`, and why each other study of its projects would not:
 * the one function both "Preview" and "Publish" use, so what was previewed is what gets published
 * (unless consent or labels changed in between). A study in several projects counts once, with its
 * best label (accepted first, then the newest).
 */
export async function selectDatasetStudies(def: DatasetDefinition, at: Date = new Date()): Promise<DatasetSelection> {
  const db = getDb();
  const memberships = await db.projectStudy.findMany({ where: { projectId: { in: [...def.projectIds] } }, select: { studyId: true } });
  const studyIds = [...new Set(memberships.map((m) => m.studyId))];
  const studies = new Map<string, StudyFacts>();
  for (let i = 0; i < studyIds.length; i += 5000) {
    const rows = await db.study.findMany({
      where: { id: { in: studyIds.slice(i, i + 5000) } },
      select: { id: true, patientId: true, studyDate: true, modalities: true, description: true, burnedInClearance: { select: { studyId: true } } },
    });
    for (const s of rows) {
      studies.set(s.id, {
        studyId: s.id,
        patientId: s.patientId,
        studyDate: s.studyDate,
        modalities: s.modalities.split('\\').filter(Boolean),
        description: s.description,
        burnedInCleared: s.burnedInClearance !== null,
      });
    }
  }

  const labels = await bestLabels(def, [...studies.keys()]);
  const consent = await canUse([...studies.keys()], def.purpose, at);

  const included: Omit<IncludedStudy, 'split'>[] = [];
  const excluded: ExcludedStudy[] = [];
  const from = def.filters.from?.replaceAll('-', '');
  const to = def.filters.to?.replaceAll('-', '');
  for (const study of [...studies.values()].sort((a, b) => a.studyDate.localeCompare(b.studyDate) || a.studyId.localeCompare(b.studyId))) {
    const reasons: ExclusionReason[] = [];
    if (def.filters.modalities.length && !study.modalities.some((m) => def.filters.modalities.includes(m))) reasons.push('modality');
    if ((from && !(study.studyDate >= from)) || (to && !(study.studyDate <= to))) reasons.push('date');
    const exported = def.filters.modalities.length ? study.modalities.filter((m) => def.filters.modalities.includes(m)) : study.modalities;
    if (!study.burnedInCleared && exported.some((m) => BURNED_IN_MODALITIES.has(m))) reasons.push('burned_in');
    const label = labels.get(study.studyId);
    if (!label) reasons.push(labels.has(study.studyId) ? 'label_not_accepted' : 'no_label');
    else if (def.filters.classes.length && !label.classes.some((c) => def.filters.classes.includes(c))) reasons.push('class');
    const status = consent.get(study.studyId)!;
    // A dataset proves each study's consent with its ledger entry, so an installation's opt-out default
    // (usable, but no decision recorded) is not enough to publish.
    if (!status.usable || status.ledgerSeq === null) reasons.push(CONSENT_REASON[status.state]);
    if (reasons.length || !label) excluded.push({ ...study, reasons });
    else included.push({ ...study, ...label, consent: status });
  }

  const splits = splitPatients(patientStrata(included), def.split);
  return { at, included: included.map((s) => ({ ...s, split: splits.get(s.patientId)! })), excluded };
}

type ChosenLabel = { projectId: string; annotationId: string; annotationVersionId: string; labelStatus: string; classes: string[] };

/**
 * Each study's label for the dataset: null when it has labels but none qualifies (not accepted),
 * absent when it has none at all.
 */
async function bestLabels(def: DatasetDefinition, studyIds: readonly string[]): Promise<Map<string, ChosenLabel | null>> {
  const db = getDb();
  const annotations = await db.annotation.findMany({
    where: { projectId: { in: [...def.projectIds] }, studyId: { in: [...studyIds] }, version: { gt: 0 } },
    select: { id: true, projectId: true, studyId: true, status: true, version: true, updatedAt: true },
  });
  const best = new Map<string, (typeof annotations)[number] | null>();
  const rank = (a: (typeof annotations)[number]) => [a.status === 'accepted' ? 1 : 0, a.updatedAt.getTime()] as const;
  for (const a of annotations) {
    const qualifies = def.labelStatus === 'any' || a.status === 'accepted';
    const current = best.get(a.studyId);
    if (!qualifies) {
      if (current === undefined) best.set(a.studyId, null);
      continue;
    }
    if (!current) best.set(a.studyId, a);
    else {
      const [x, y] = [rank(a), rank(current)];
      if (x[0] > y[0] || (x[0] === y[0] && x[1] > y[1])) best.set(a.studyId, a);
    }
  }

  const chosen = [...best.values()].filter((a) => a !== null);
  const versions = new Map<string, { id: string; content: string; schemaVersionId: string; labelmaps: { counts: string }[] }>();
  for (let i = 0; i < chosen.length; i += CHUNK) {
    const rows = await db.annotationVersion.findMany({
      where: { OR: chosen.slice(i, i + CHUNK).map((a) => ({ annotationId: a.id, version: a.version })) },
      select: { id: true, annotationId: true, content: true, schemaVersionId: true, labelmaps: { select: { counts: true } } },
    });
    for (const v of rows) versions.set(v.annotationId, v);
  }
  const schemaIds = [...new Set([...versions.values()].map((v) => v.schemaVersionId))];
  const schemas = new Map<string, LabelSchema>(
    (await db.labelSchemaVersion.findMany({ where: { id: { in: schemaIds } }, select: { id: true, schema: true } })).map((s) => [s.id, parseStoredSchema(s.schema)]),
  );

  const out = new Map<string, ChosenLabel | null>();
  for (const [studyId, a] of best) {
    const v = a && versions.get(a.id);
    if (!a || !v) {
      out.set(studyId, null);
      continue;
    }
    const voxels = new Map<number, number>();
    for (const lm of v.labelmaps) {
      for (const [value, n] of Object.entries(JSON.parse(lm.counts) as Record<string, number>)) voxels.set(Number(value), (voxels.get(Number(value)) ?? 0) + n);
    }
    const content = ZAnnotationContent.parse(JSON.parse(v.content));
    out.set(studyId, {
      projectId: a.projectId,
      annotationId: a.id,
      annotationVersionId: v.id,
      labelStatus: a.status,
      classes: labelClasses(schemas.get(v.schemaVersionId)!, content, voxels),
    });
  }
  return out;
}

/** Each patient's stratum: the rarest class among their studies' labels (how multi-label stratification usually approximates). */
function patientStrata(studies: readonly { patientId: string; classes: string[] }[]) {
  const frequency = new Map<string, number>();
  for (const s of studies) for (const c of s.classes) frequency.set(c, (frequency.get(c) ?? 0) + 1);
  const patients = new Map<string, { patientId: string; studies: number; stratum: string }>();
  for (const s of studies) {
    const p = patients.get(s.patientId) ?? { patientId: s.patientId, studies: 0, stratum: '' };
    p.studies += 1;
    for (const c of s.classes) {
      const rarer = !p.stratum || frequency.get(c)! < frequency.get(p.stratum)! || (frequency.get(c) === frequency.get(p.stratum) && c < p.stratum);
      if (rarer) p.stratum = c;
    }
    patients.set(s.patientId, p);
  }
  return [...patients.values()];
}
