/**
 * Agreement when each study has three readers, over the real routes: Fleiss' kappa for the answers
 * (not Cohen's, which needs exactly two) matches the textbook formula computed here, and every pair
 * of readers gets Dice and IoU equal to a voxel-by-voxel count.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as openRoute from '@/app/api/projects/[projectId]/studies/[studyId]/annotation/route';
import * as annotationRoute from '@/app/api/annotations/[annotationId]/route';
import * as agreementRoute from '@/app/api/projects/[projectId]/agreement/route';
import { encodeLabelmapRle } from '@/lib/annotations/labelmap-rle.client';
import type { ProjectAgreement } from '@/lib/annotations/project-agreement';
import { getDb } from '@/lib/db/client';
import { ingestFiles } from '@/lib/dicom/ingest-files';
import { syntheticCtSeries } from '@/lib/dicom/synthetic-ct';
import { addProjectStudies } from '@/lib/projects/add-project-studies';
import { createProject } from '@/lib/projects/create-project';
import { ZCreateProjectInput } from '@/lib/projects/schemas';
import { callRoute, signInOrThrow, type Session } from '../helpers/api';
import { makeUser } from '../helpers/users';

const SLICES = 2;
const SIZE = 512;
const SCHEMA = {
  segments: [{ value: 1, name: 'Liver', color: '#aa3300' }],
  questions: [
    {
      id: 'quality',
      question: 'Image quality',
      level: 'study',
      choices: [
        { id: 'good', label: 'Good' },
        { id: 'poor', label: 'Poor' },
      ],
    },
    {
      id: 'artefact',
      question: 'Motion artefact',
      level: 'series',
      choices: [
        { id: 'yes', label: 'Yes' },
        { id: 'no', label: 'No' },
      ],
    },
  ],
};
/** What each of the three readers answered, study by study. */
const ANSWERS = [
  ['good', 'good', 'good'],
  ['good', 'poor', 'good'],
  ['poor', 'poor', 'poor'],
  ['good', 'poor', 'poor'],
];
/** What they answered for each study's one series. */
const ARTEFACT = [
  ['no', 'no', 'no'],
  ['no', 'no', 'no'],
  ['yes', 'yes', 'no'],
  ['yes', 'yes', 'yes'],
];
/** Each reader's liver: a disc of radius 40 around (cx, 250), cx per reader, on every slice. */
const CENTRES = [250, 262, 280];

type Reader = { id: string; name: string; session: Session };
let projectId: string;
let engineer: Session;
let studies: { id: string; seriesUid: string }[];
const readers: Reader[] = [];

function liver(cx: number): Uint8Array {
  const voxels = new Uint8Array(SIZE * SIZE * SLICES);
  for (let z = 0; z < SLICES; z++) for (let y = 0; y < SIZE; y++) for (let x = 0; x < SIZE; x++) if ((x - cx) ** 2 + (y - 250) ** 2 < 40 ** 2) voxels[z * SIZE * SIZE + y * SIZE + x] = 1;
  return voxels;
}

/**
 * Fleiss (1971), as textbooks write it, with each item's own number of raters n_i:
 * P_i = Σ_j n_ij (n_ij − 1) / (n_i (n_i − 1)), P̄ their mean, p_j = Σ_i n_ij / Σ_i n_i,
 * P̄e = Σ_j p_j², κ = (P̄ − P̄e) / (1 − P̄e).
 */
function textbookFleiss(items: string[][]): number {
  const categories = [...new Set(items.flat())];
  const counts = items.map((item) => categories.map((c) => item.filter((x) => x === c).length));
  const pBar = counts.map((row, i) => row.reduce((s, nij) => s + nij * (nij - 1), 0) / (items[i]!.length * (items[i]!.length - 1))).reduce((a, b) => a + b, 0) / items.length;
  const ratings = items.reduce((n, item) => n + item.length, 0);
  const pe = categories.map((_, j) => counts.reduce((s, row) => s + row[j]!, 0) / ratings).reduce((s, p) => s + p * p, 0);
  return (pBar - pe) / (1 - pe);
}

let admin: string;

beforeAll(async () => {
  const a = await makeUser(['admin']);
  await ingestFiles(
    (async function* () {
      for (const seed of [1, 2, 3, 4, 5]) for (const body of syntheticCtSeries({ slices: SLICES, seed })) yield { body };
    })(),
    { actorUserId: a.id },
  );
  studies = (await getDb().series.findMany()).map((s) => ({ id: s.studyId, seriesUid: s.seriesInstanceUid })).sort((a, b) => a.id.localeCompare(b.id));
  for (let i = 0; i < 3; i++) {
    const u = await makeUser(['radiologist']);
    readers.push({ id: u.id, name: u.name, session: await signInOrThrow(u.email, u.password) });
  }
  const e = await makeUser(['ml_engineer']);
  engineer = await signInOrThrow(e.email, e.password);
  admin = a.id;
  ({ id: projectId } = await createProject({
    input: ZCreateProjectInput.parse({ name: 'Three readers', readersPerStudy: 3, schema: SCHEMA, readers: readers.map((r) => r.id) }),
    actorId: a.id,
  }));
  await addProjectStudies({ projectId, input: { studyIds: studies.map((s) => s.id) } });
  for (const [s, study] of studies.slice(0, 4).entries()) for (const [r, reader] of readers.entries()) await label(reader, study, ANSWERS[s]![r]!, liver(CENTRES[r]!), ARTEFACT[s]![r]!);
});

/** A reader's answers and liver on a study, submitted (in the three-reader project unless another is named). */
async function label(reader: Reader, study: { id: string; seriesUid: string }, answer: string, voxels: Uint8Array, artefact?: string, project = projectId) {
  const opened = await callRoute(openRoute, 'POST', '/x', { session: reader.session, params: { projectId: project, studyId: study.id } });
  expect(opened.status, JSON.stringify(opened.json)).toBe(201);
  const saved = await callRoute(annotationRoute, 'PUT', '/x', {
    session: reader.session,
    params: { annotationId: opened.json.id as string },
    body: {
      baseVersion: opened.json.version,
      schemaVersion: 1,
      reason: 'submit',
      content: {
        answers: [{ questionId: 'quality', choiceIds: [answer] }, ...(artefact ? [{ questionId: 'artefact', seriesInstanceUid: study.seriesUid, choiceIds: [artefact] }] : [])],
      },
      labelmaps: [{ seriesInstanceUid: study.seriesUid, columns: SIZE, rows: SIZE, slices: SLICES, rle: Buffer.from(encodeLabelmapRle(voxels)).toString('base64') }],
    },
  });
  expect(saved.status, JSON.stringify(saved.json)).toBe(200);
}

describe('three readers per study', () => {
  it("gives Fleiss' kappa for the answers, as the textbook formula computes it", async () => {
    const result = (await callRoute(agreementRoute, 'GET', `/api/projects/${projectId}/agreement`, { session: engineer, params: { projectId } })).json as unknown as ProjectAgreement;
    expect(result.studies).toBe(4);
    expect(result.kappa).toHaveLength(2);
    expect(result.kappa[0]).toMatchObject({ questionId: 'quality', level: 'study', method: 'fleiss', items: 4, studies: 4 });
    expect(result.kappa[0]!.kappa).toBeCloseTo(textbookFleiss(ANSWERS), 12);
    // P̄ = 2/3, P̄e = 1/2: κ = 1/3.
    expect(result.kappa[0]!.kappa).toBeCloseTo(1 / 3, 12);
    // Per study: the three answers, and whether they agree.
    const quality = result.answers.filter((a) => a.questionId === 'quality');
    expect(quality.map((a) => a.agree)).toEqual(expect.arrayContaining([true, false, true, false]));
    expect(result.answers.every((a) => a.answers.length === 3)).toBe(true);
  });

  it('gives a series-level question its kappa too, over the series every reader answered', async () => {
    const result = (await callRoute(agreementRoute, 'GET', `/api/projects/${projectId}/agreement`, { session: engineer, params: { projectId } })).json as unknown as ProjectAgreement;
    expect(result.kappa[1]).toMatchObject({ questionId: 'artefact', level: 'series', method: 'fleiss', items: 4, studies: 4 });
    expect(result.kappa[1]!.kappa).toBeCloseTo(textbookFleiss(ARTEFACT), 12);
    expect(result.answers.filter((a) => a.questionId === 'artefact').map((a) => a.seriesInstanceUid).sort()).toEqual(studies.slice(0, 4).map((s) => s.seriesUid).sort());
  });

  it('compares every pair of readers voxel by voxel, and averages each reader over their pairs', async () => {
    const result = (await callRoute(agreementRoute, 'GET', `/api/projects/${projectId}/agreement`, { session: engineer, params: { projectId } })).json as unknown as ProjectAgreement;
    // Three pairs per study.
    expect(result.pairs).toHaveLength(4 * 3);
    const expected = (a: number, b: number) => {
      const [x, y] = [liver(CENTRES[a]!), liver(CENTRES[b]!)];
      let both = 0;
      let inX = 0;
      let inY = 0;
      for (let i = 0; i < x.length; i++) {
        inX += x[i]!;
        inY += y[i]!;
        both += x[i]! & y[i]!;
      }
      return { dice: (2 * both) / (inX + inY), iou: both / (inX + inY - both) };
    };
    const index = new Map(readers.map((r, i) => [r.name, i]));
    const seen = new Set<string>();
    for (const pair of result.pairs) {
      const [a, b] = [index.get(pair.readerA)!, index.get(pair.readerB)!];
      expect(a === undefined || b === undefined || a === b).toBe(false);
      seen.add(`${pair.studyId}:${Math.min(a, b)}-${Math.max(a, b)}`);
      const want = expected(a, b);
      expect(pair.dice).toBeCloseTo(want.dice, 12);
      expect(pair.iou).toBeCloseTo(want.iou, 12);
    }
    expect(seen.size).toBe(12);
    // No accepted label: each reader against the other two, on every study.
    for (const [r, reader] of readers.entries()) {
      const others = [0, 1, 2].filter((o) => o !== r).map((o) => expected(r, o).dice);
      expect(result.byReader.find((x) => x.reader === reader.name)).toMatchObject({ readerId: reader.id, n: 8, againstAccepted: 0 });
      expect(result.byReader.find((x) => x.reader === reader.name)!.meanDice).toBeCloseTo((others[0]! + others[1]!) / 2, 12);
    }
    expect(result.bySegment).toEqual([expect.objectContaining({ name: 'Liver', n: 12 })]);
  });

  it("keeps Fleiss' kappa over every study when one has only two readers so far", async () => {
    await label(readers[0]!, studies[4]!, 'good', liver(CENTRES[0]!));
    await label(readers[1]!, studies[4]!, 'poor', liver(CENTRES[1]!));
    const result = (await callRoute(agreementRoute, 'GET', `/api/projects/${projectId}/agreement`, { session: engineer, params: { projectId } })).json as unknown as ProjectAgreement;
    const items = [...ANSWERS, ['good', 'poor']];
    expect(result.kappa[0]).toMatchObject({ method: 'fleiss', items: 5, studies: 5 });
    expect(result.kappa[0]!.kappa).toBeCloseTo(textbookFleiss(items), 12);
    // P̄ = (2/3·4 + 0) / 5 = 8/15, P̄e = 1/2 (7 good, 7 poor): κ = 1/15.
    expect(result.kappa[0]!.kappa).toBeCloseTo(1 / 15, 12);
  });
});

describe('two readers per study', () => {
  /** A project of two readers per study, its readers, over the first studies; each study labeled by the readers given, in that order. */
  async function twoReaderProject(name: string, members: Reader[], reads: { readers: number[]; answers: string[] }[]) {
    const { id } = await createProject({ input: ZCreateProjectInput.parse({ name, readersPerStudy: 2, schema: SCHEMA, readers: members.map((r) => r.id) }), actorId: admin });
    await addProjectStudies({ projectId: id, input: { studyIds: studies.slice(0, reads.length).map((s) => s.id) } });
    for (const [s, read] of reads.entries()) for (const [k, r] of read.readers.entries()) await label(members[r]!, studies[s]!, read.answers[k]!, liver(CENTRES[r]!), undefined, id);
    return (await callRoute(agreementRoute, 'GET', `/api/projects/${id}/agreement`, { session: engineer, params: { projectId: id } })).json as unknown as ProjectAgreement;
  }

  it("gives Cohen's kappa for the same two readers, each keeping their side whoever opened the study first", async () => {
    const [r0, r1] = readers;
    // Reader 0 answers good every time, reader 1 good, good, poor, poor; they take turns opening first.
    const result = await twoReaderProject('Same pair', [r0!, r1!], [
      { readers: [0, 1], answers: ['good', 'good'] },
      { readers: [1, 0], answers: ['good', 'good'] },
      { readers: [0, 1], answers: ['good', 'poor'] },
      { readers: [1, 0], answers: ['poor', 'good'] },
    ]);
    // po = 2/4; reader 0 good 4/4, reader 1 good 2/4: pe = 1·1/2 + 0·1/2 = 1/2; κ = 0. (Sides taken by who
    // opened first would give the fourth study's answers to the wrong readers: −1/3.)
    expect(result.kappa[0]).toMatchObject({ questionId: 'quality', method: 'cohen', items: 4, studies: 4 });
    expect(result.kappa[0]!.kappa).toBeCloseTo(0, 12);
  });

  it("gives Fleiss' kappa when the pair of readers changes from study to study", async () => {
    const result = await twoReaderProject('Taking turns', readers, [
      { readers: [0, 1], answers: ['good', 'good'] },
      { readers: [1, 2], answers: ['good', 'poor'] },
      { readers: [0, 2], answers: ['poor', 'poor'] },
    ]);
    expect(result.kappa[0]).toMatchObject({ method: 'fleiss', items: 3, studies: 3 });
    expect(result.kappa[0]!.kappa).toBeCloseTo(textbookFleiss([['good', 'good'], ['good', 'poor'], ['poor', 'poor']]), 12);
  });
});
