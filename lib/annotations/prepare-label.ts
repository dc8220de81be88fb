import { createHash } from 'node:crypto';
import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import { canonicalize } from '@/lib/ledger/canonical-json';
import { parseStoredSchema } from '@/lib/projects/schema-version';
import { findSeriesSelection } from '@/lib/projects/series-selection';
import { describeSeriesSelection, selectsSeries } from '@/lib/projects/series-rule.client';
import { seriesOfContent } from './content-series.client';
import { labeledSeries } from './labeled-series';
import { labelMismatches } from './label-schema';
import { byLayerGroups, layerProblems } from './labelmap-layers.client';
import { LabelmapFormatError, summarizeLabelmapRle } from './labelmap-rle.client';
import type { SaveAnnotationInput } from './schemas';

export type PreparedLabelmap = { seriesId: string; seriesInstanceUid: string; layer: number; columns: number; rows: number; slices: number; rle: Buffer; counts: Record<string, number> };

export type PreparedLabel = {
  schemaVersionId: string;
  schemaVersion: number;
  /** Canonical JSON of the content. */
  content: string;
  labelmaps: PreparedLabelmap[];
  /** SHA-256 of the content and every labelmap's encoding: what the ledger names. */
  contentHash: string;
};

/**
 * Checks a label against its project's schema and its study before anything is written: the schema
 * version it was made with (one of the project's, recorded with it; made with an older one, it must
 * fit the current one too, or it is refused with the reasons), every labelmap's size against its
 * series and its rle1 bytes, every region, measurement and answer against the images they are drawn
 * on, and that it is drawn on series the project labels. Throws BAD_REQUEST (or CONFLICT for a schema that changed underneath the reader); returns
 * what to store.
 */
export async function prepareLabel(opts: { projectId: string; studyId: string; annotation: { id: string; version: number }; input: SaveAnnotationInput }): Promise<PreparedLabel> {
  const { projectId, studyId, input } = opts;
  const db = getDb();
  const [schemaRow, madeWith, instances, selection] = await Promise.all([
    db.labelSchemaVersion.findFirstOrThrow({ where: { projectId }, orderBy: { version: 'desc' } }),
    db.labelSchemaVersion.findUnique({ where: { projectId_version: { projectId, version: input.schemaVersion } }, select: { id: true, version: true } }),
    db.instance.findMany({
      where: { series: { studyId } },
      select: {
        sopInstanceUid: true,
        rows: true,
        columns: true,
        frames: true,
        series: { select: { id: true, seriesInstanceUid: true, modality: true, description: true } },
      },
    }),
    findSeriesSelection(projectId, studyId),
  ]);
  if (!madeWith) throw new AppError('BAD_REQUEST', `This project has no label schema version ${input.schemaVersion} (its latest is ${schemaRow.version}).`);
  const schema = parseStoredSchema(schemaRow.schema);

  const labelmaps = input.labelmaps.map((l) => prepareLabelmap(l, instances));
  for (const [uid, layers] of byLayerGroups(labelmaps, (l) => l.seriesInstanceUid)) {
    const problems = layerProblems(layers);
    if (problems.length) throw new AppError('BAD_REQUEST', `The labelmaps of series ${uid} do not fit together: ${problems.join('; ')}.`);
  }
  const images = new Map(instances.map((i) => [i.sopInstanceUid, i]));
  for (const item of [...input.content.regions, ...input.content.measurements]) {
    const image = images.get(item.sopInstanceUid);
    if (!image || image.series.seriesInstanceUid !== item.seriesInstanceUid) throw new AppError('BAD_REQUEST', `Image ${item.sopInstanceUid} is not in series ${item.seriesInstanceUid} of this study.`);
    if (item.frame > image.frames) throw new AppError('BAD_REQUEST', `Image ${item.sopInstanceUid} has no frame ${item.frame}.`);
    const outside = item.points.find(([x, y]) => x < 0 || y < 0 || x > (image.columns ?? 0) || y > (image.rows ?? 0));
    if (outside) throw new AppError('BAD_REQUEST', `Point (${outside.join(', ')}) of ${item.id} is outside its ${image.columns}×${image.rows} image.`);
  }
  const studySeries = new Set(instances.map((i) => i.series.seriesInstanceUid));
  for (const answer of input.content.answers) {
    const question = schema.questions.find((q) => q.id === answer.questionId);
    if (question && (question.level === 'series') !== Boolean(answer.seriesInstanceUid)) {
      throw new AppError('BAD_REQUEST', `Question "${question.id}" is answered per ${question.level}.`);
    }
    if (answer.seriesInstanceUid && !studySeries.has(answer.seriesInstanceUid)) throw new AppError('BAD_REQUEST', `Series ${answer.seriesInstanceUid} is not in this study.`);
  }

  // Only the series the project labels take labels (what datasets export and models were run on);
  // a series labeled before a manager left it out keeps its labels, to edit or erase.
  const series = new Map(instances.map((i) => [i.series.seriesInstanceUid, i.series]));
  const drawnOn = new Set([...labelmaps.filter((l) => Object.keys(l.counts).length > 0).map((l) => l.seriesInstanceUid), ...seriesOfContent(input.content)]);
  const outside = [...drawnOn].map((uid) => series.get(uid)!).filter((s) => !selectsSeries(selection, s));
  if (outside.length) {
    // Read only then: most saves (autosaves every few seconds among them) stay on the project's series.
    const before = await labeledSeries(opts.annotation.id, opts.annotation.version);
    const refused = outside.find((s) => !before.uids.has(s.seriesInstanceUid) && !before.ids.has(s.id));
    if (refused) {
      const what = [refused.modality, refused.description && `“${refused.description}”`].filter(Boolean).join(' ');
      throw new AppError('BAD_REQUEST', `Series ${refused.seriesInstanceUid} (${what}) is not one this project labels (${describeSeriesSelection(selection)}): a project manager can add it on the study's page.`);
    }
  }

  const problems = labelMismatches(schema, {
    segmentValues: labelmaps.flatMap((l) => Object.keys(l.counts).map(Number)),
    regionClassIds: input.content.regions.map((r) => r.classId),
    answers: input.content.answers,
  });
  // A region's shape must be the one its class is drawn as.
  const boxes = new Set(schema.boxes.map((b) => b.id));
  const polygons = new Set(schema.polygons.map((p) => p.id));
  for (const r of input.content.regions) {
    if ((r.shape === 'box' && polygons.has(r.classId)) || (r.shape === 'polygon' && boxes.has(r.classId))) problems.push(`Region class "${r.classId}" is not drawn as a ${r.shape}.`);
  }
  if (problems.length) {
    const changed = input.schemaVersion !== schemaRow.version;
    throw new AppError(
      changed ? 'CONFLICT' : 'BAD_REQUEST',
      changed
        ? `The label schema changed (version ${input.schemaVersion} → ${schemaRow.version}) and this label no longer fits it: ${problems.join(' ')}`
        : `The label does not fit the project's label schema: ${problems.join(' ')}`,
      { problems },
    );
  }
  if (input.reason === 'submit') {
    const missing = schema.questions.filter((q) => q.required && q.level === 'study' && !input.content.answers.some((a) => a.questionId === q.id));
    if (missing.length) throw new AppError('BAD_REQUEST', `Answer ${missing.map((q) => `"${q.question}"`).join(', ')} before submitting.`);
  }

  const content = canonicalize(input.content);
  const hash = createHash('sha256').update(content);
  // Layer 0 is named by its series alone, as before layers: hashes of earlier labels still check out.
  const sorted = [...labelmaps].sort((a, b) => a.seriesInstanceUid.localeCompare(b.seriesInstanceUid) || a.layer - b.layer);
  for (const l of sorted) hash.update(`\n${l.seriesInstanceUid}${l.layer ? `#${l.layer}` : ''}:${l.columns}x${l.rows}x${l.slices}:`).update(l.rle);
  // Recorded with the schema version the reader made it with (checked above to fit the current one too).
  return { schemaVersionId: madeWith.id, schemaVersion: madeWith.version, content, labelmaps, contentHash: hash.digest('hex') };
}

type StudyInstance = { rows: number | null; columns: number | null; frames: number; series: { id: string; seriesInstanceUid: string; modality: string; description: string } };

function prepareLabelmap(input: SaveAnnotationInput['labelmaps'][number], instances: StudyInstance[]): PreparedLabelmap {
  const images = instances.filter((i) => i.series.seriesInstanceUid === input.seriesInstanceUid);
  if (!images.length) throw new AppError('BAD_REQUEST', `Series ${input.seriesInstanceUid} is not in this study.`);
  const slices = images.reduce((n, i) => n + i.frames, 0);
  const sized = images.every((i) => i.columns === input.columns && i.rows === input.rows);
  if (!sized || slices !== input.slices) {
    throw new AppError(
      'BAD_REQUEST',
      `The labelmap for series ${input.seriesInstanceUid} is ${input.columns}×${input.rows}×${input.slices}; the series is ${images[0]!.columns}×${images[0]!.rows}×${slices}: it covers voxels outside the volume.`,
    );
  }
  const rle = Buffer.from(input.rle, 'base64');
  try {
    const summary = summarizeLabelmapRle(rle, input.columns * input.rows * input.slices);
    return { seriesId: images[0]!.series.id, seriesInstanceUid: input.seriesInstanceUid, layer: input.layer, columns: input.columns, rows: input.rows, slices, rle, counts: Object.fromEntries(summary.counts) };
  } catch (err) {
    if (err instanceof LabelmapFormatError || err instanceof RangeError) throw new AppError('BAD_REQUEST', `The labelmap for series ${input.seriesInstanceUid} is malformed: ${err.message}`);
    throw err;
  }
}
