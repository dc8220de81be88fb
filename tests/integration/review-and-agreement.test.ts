/**
 * The review workflow and inter-reader agreement over the real routes: two readers label the same
 * study, a reviewer sends one back with a comment and accepts it, and the agreement figures match
 * values computed here independently, voxel by voxel.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as openRoute from '@/app/api/projects/[projectId]/studies/[studyId]/annotation/route';
import * as annotationRoute from '@/app/api/annotations/[annotationId]/route';
import * as reviewRoute from '@/app/api/annotations/[annotationId]/review/route';
import * as startRoute from '@/app/api/annotations/[annotationId]/review/start/route';
import * as commentsRoute from '@/app/api/projects/[projectId]/studies/[studyId]/comments/route';
import * as queueRoute from '@/app/api/projects/[projectId]/queue/route';
import * as agreementRoute from '@/app/api/projects/[projectId]/agreement/route';
import { encodeLabelmapRle } from '@/lib/annotations/labelmap-rle.client';
import type { ProjectAgreement } from '@/lib/annotations/project-agreement';
import { getDb } from '@/lib/db/client';
import { ingestFiles } from '@/lib/dicom/ingest-files';
import { syntheticCtSeries } from '@/lib/dicom/synthetic-ct';
import { pseudonymOf } from '@/lib/ledger/pseudonym';
import { addProjectStudies } from '@/lib/projects/add-project-studies';
import { createProject } from '@/lib/projects/create-project';
import { ZCreateProjectInput } from '@/lib/projects/schemas';
import { callRoute, signInOrThrow, type Session } from '../helpers/api';
import { makeUser } from '../helpers/users';

const SLICES = 3;
const SIZE = 512;
const VOXELS = SIZE * SIZE * SLICES;
const SCHEMA = {
  segments: [
    { value: 1, name: 'Liver', color: '#aa3300' },
    { value: 2, name: 'Spleen', color: '#0033aa' },
  ],
  questions: [{ id: 'quality', question: 'Image quality', level: 'study', choices: [{ id: 'good', label: 'Good' }, { id: 'poor', label: 'Poor' }] }],
};

type Who = { id: string; session: Session };
let projectId: string;
let studies: { id: string; seriesUid: string }[];
let r1: Who, r2: Who, reviewer: Who, engineer: Session;

beforeAll(async () => {
  const admin = await makeUser(['admin']);
  await ingestFiles(
    (async function* () {
      for (const seed of [1, 2]) for (const body of syntheticCtSeries({ slices: SLICES, seed })) yield { body };
    })(),
    { actorUserId: admin.id },
  );
  // In the project's order (added together: by id).
  studies = (await getDb().series.findMany()).map((s) => ({ id: s.studyId, seriesUid: s.seriesInstanceUid })).sort((a, b) => a.id.localeCompare(b.id));
  const who = async (): Promise<Who> => {
    const u = await makeUser(['radiologist']);
    return { id: u.id, session: await signInOrThrow(u.email, u.password) };
  };
  [r1, r2, reviewer] = [await who(), await who(), await who()];
  const e = await makeUser(['ml_engineer']);
  engineer = await signInOrThrow(e.email, e.password);
  ({ id: projectId } = await createProject({
    input: ZCreateProjectInput.parse({ name: 'Review', readersPerStudy: 2, schema: SCHEMA, readers: [r1.id, r2.id], reviewers: [reviewer.id, r1.id] }),
    actorId: admin.id,
  }));
  await addProjectStudies({ projectId, input: { studyIds: studies.map((s) => s.id) } });
});

/** Liver: a disc centred at (cx, 250) on every slice; spleen: a square on slice 1 for reader 1 only. */
function labelmap(cx: number, withSpleen: boolean): Uint8Array {
  const v = new Uint8Array(VOXELS);
  for (let z = 0; z < SLICES; z++)
    for (let y = 0; y < SIZE; y++)
      for (let x = 0; x < SIZE; x++) {
        const i = z * SIZE * SIZE + y * SIZE + x;
        if ((x - cx) ** 2 + (y - 250) ** 2 < 40 ** 2) v[i] = 1;
        if (withSpleen && z === 1 && x >= 100 && x < 120 && y >= 100 && y < 120) v[i] = 2;
      }
  return v;
}

async function label(who: Who, studyIndex: number, voxels: Uint8Array, quality: string, reason: 'save' | 'submit') {
  const study = studies[studyIndex]!;
  const opened = await callRoute(openRoute, 'POST', '/x', { session: who.session, params: { projectId, studyId: study.id } });
  const id = opened.json.id as string;
  const res = await callRoute(annotationRoute, 'PUT', '/x', {
    session: who.session,
    params: { annotationId: id },
    body: {
      baseVersion: opened.json.version,
      schemaVersion: 1,
      reason,
      content: { answers: [{ questionId: 'quality', choiceIds: [quality] }] },
      labelmaps: [{ seriesInstanceUid: study.seriesUid, columns: SIZE, rows: SIZE, slices: SLICES, rle: Buffer.from(encodeLabelmapRle(voxels)).toString('base64') }],
    },
  });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return id;
}

/** Dice and IoU of one value, the naive way: a loop over every voxel. */
function naive(a: Uint8Array, b: Uint8Array, value: number) {
  let inA = 0;
  let inB = 0;
  let both = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] === value;
    const y = b[i] === value;
    if (x) inA++;
    if (y) inB++;
    if (x && y) both++;
  }
  return { dice: (2 * both) / (inA + inB), iou: both / (inA + inB - both) };
}

const review = (who: Who, annotationId: string, body: unknown) => callRoute(reviewRoute, 'POST', '/x', { session: who.session, params: { annotationId }, body });
const agreement = async (session: Session) => (await callRoute(agreementRoute, 'GET', `/api/projects/${projectId}/agreement`, { session, params: { projectId } })).json as unknown as ProjectAgreement;

let a1: string;
let a2: string;

describe('two readers, one reviewer', () => {
  it('gives each reader the next study in their queue', async () => {
    const queue = async (who: Who) => (await callRoute(queueRoute, 'GET', '/x', { session: who.session, params: { projectId } })).json;
    expect(await queue(r1)).toEqual({ next: studies[0]!.id, done: 0, total: 2 });
    a1 = await label(r1, 0, labelmap(300, true), 'good', 'submit');
    expect(await queue(r1)).toEqual({ next: studies[1]!.id, done: 1, total: 2 });
    a2 = await label(r2, 0, labelmap(310, false), 'poor', 'submit');
    expect((await callRoute(queueRoute, 'GET', '/x', { session: reviewer.session, params: { projectId } })).status).toBe(403);
  });

  it("keeps agreement from readers who do not review: it shows the other readers' labels", async () => {
    const asReader = await callRoute(agreementRoute, 'GET', `/api/projects/${projectId}/agreement`, { session: r2.session, params: { projectId } });
    expect(asReader.status).toBe(403);
    expect(asReader.json.message).toMatch(/readers stay independent/);
    expect((await callRoute(agreementRoute, 'GET', `/api/projects/${projectId}/agreement?format=csv`, { session: r2.session, params: { projectId } })).status).toBe(403);
    // A reader who also reviews, the reviewer and an ML engineer see it.
    for (const session of [r1.session, reviewer.session, engineer]) expect((await agreement(session)).studies).toBe(1);
  });

  it('computes Dice and IoU between the readers as a voxel-by-voxel count does', async () => {
    const result = await agreement(engineer);
    expect(result.studies).toBe(1);
    const liver = result.pairs.find((p) => p.segment === 1)!;
    const expected = naive(labelmap(300, true), labelmap(310, false), 1);
    expect(liver.dice).toBeCloseTo(expected.dice, 12);
    expect(liver.iou).toBeCloseTo(expected.iou, 12);
    // Spleen: only reader 1 drew it; Dice 0, not "not applicable".
    expect(result.pairs.find((p) => p.segment === 2)).toMatchObject({ dice: 0, iou: 0, voxelsA: 400, voxelsB: 0 });
    expect(result.bySegment.map((s) => [s.name, s.n])).toEqual([['Liver', 1], ['Spleen', 1]]);
    // One study, "good" against "poor": observed agreement 0, chance agreement 0, kappa 0.
    expect(result.kappa).toEqual([{ questionId: 'quality', question: 'Image quality', level: 'study', method: 'cohen', kappa: 0, items: 1, studies: 1 }]);
    const csv = await callRoute(agreementRoute, 'GET', `/api/projects/${projectId}/agreement?format=csv`, { session: engineer, params: { projectId } });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('study,series,segment,segment_name,reader_a,reader_b,against_accepted,voxels_a,voxels_b,dice,iou');
    expect(lines).toHaveLength(1 + result.pairs.length);
  });

  it('sends a label back with a comment, and accepts it once resubmitted; every decision on the ledger', async () => {
    expect((await review(r1, a1, { decision: 'accept' })).status).toBe(403); // nobody reviews their own
    expect((await callRoute(startRoute, 'POST', '/x', { session: reviewer.session, params: { annotationId: a1 } })).json).toEqual({ status: 'in_review' });
    const noReason = await review(reviewer, a1, { decision: 'request_changes' });
    expect(noReason.status).toBe(400);
    const back = await review(reviewer, a1, { decision: 'request_changes', comment: 'The spleen box is on the wrong organ.' });
    expect(back.json).toMatchObject({ status: 'changes_requested', version: 1 });
    const entry = await getDb().ledgerEntry.findFirstOrThrow({ orderBy: { seq: 'desc' } });
    expect(entry.type).toBe('annotation.reviewed');
    expect(entry.actor).toBe(pseudonymOf(reviewer.id));
    expect(JSON.parse(entry.canonical).payload).toMatchObject({ decision: 'request_changes', version: 1, reader: pseudonymOf(r1.id) });
    const comments = await callRoute(commentsRoute, 'GET', '/x', { session: r1.session, params: { projectId, studyId: studies[0]!.id } });
    expect(comments.json.comments).toEqual([expect.objectContaining({ body: 'The spleen box is on the wrong organ.' })]);
    expect((await review(reviewer, a1, { decision: 'accept' })).status).toBe(409); // back with the reader now

    // The reader fixes it and submits again; the reviewer accepts.
    const view = (await callRoute(annotationRoute, 'GET', '/x', { session: r1.session, params: { annotationId: a1 } })).json;
    expect(view).toMatchObject({ status: 'changes_requested', canEdit: true });
    await label(r1, 0, labelmap(300, false), 'good', 'submit');
    expect((await review(reviewer, a1, { decision: 'accept' })).json).toMatchObject({ status: 'accepted', version: 2 });
    expect((await review(reviewer, a1, { decision: 'accept' })).status).toBe(409);

    // Reader 2 is now measured against the accepted label.
    const result = await agreement(engineer);
    const reference = result.pairs.find((p) => p.againstAccepted && p.segment === 1)!;
    expect(reference).toMatchObject({ readerB: expect.stringContaining('radiologist'), againstAccepted: true });
    expect(reference.dice).toBeCloseTo(naive(labelmap(310, false), labelmap(300, false), 1).dice, 12);
    expect(result.byReader).toEqual([expect.objectContaining({ readerId: r2.id, againstAccepted: 1, n: 1 })]);
    expect(a2).toBeTruthy();
  });

  it('charts each reader against the accepted label where a study has one, and against the other reader where it has none', async () => {
    await label(r1, 1, labelmap(300, false), 'good', 'save');
    await label(r2, 1, labelmap(320, false), 'good', 'save');
    const result = await agreement(engineer);
    expect(result.studies).toBe(2);
    const accepted = naive(labelmap(310, false), labelmap(300, false), 1).dice;
    const between = naive(labelmap(300, false), labelmap(320, false), 1).dice;
    const byId = new Map(result.byReader.map((r) => [r.readerId, r]));
    expect(byId.size).toBe(2);
    // Reader 1's label is study 1's reference, so their one comparison is study 2's, against reader 2.
    expect(byId.get(r1.id)).toMatchObject({ n: 1, againstAccepted: 0 });
    expect(byId.get(r1.id)!.meanDice).toBeCloseTo(between, 12);
    expect(byId.get(r2.id)).toMatchObject({ n: 2, againstAccepted: 1 });
    expect(byId.get(r2.id)!.meanDice).toBeCloseTo((accepted + between) / 2, 12);
  });

  it('keeps comments to the project: members write, strangers get 404, empty ones are refused', async () => {
    const stranger = await makeUser(['radiologist']);
    const session = await signInOrThrow(stranger.email, stranger.password);
    const params = { projectId, studyId: studies[0]!.id };
    expect((await callRoute(commentsRoute, 'GET', '/x', { session, params })).status).toBe(404);
    expect((await callRoute(commentsRoute, 'POST', '/x', { session: r2.session, params, body: { body: '  ' } })).status).toBe(400);
    expect((await callRoute(commentsRoute, 'POST', '/x', { session: r2.session, params, body: { body: 'Agreed.' } })).status).toBe(201);
    expect((await callRoute(commentsRoute, 'POST', '/x', { session: engineer, params, body: { body: 'Managers read.' } })).status).toBe(403);
  });
});
