/**
 * Saving labels over the real routes: versions that come back voxel for voxel, drafts from autosave,
 * ledger entries naming the reader's pseudonym and the content hash, and every bad label refused
 * with a reason and nothing written.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as openRoute from '@/app/api/projects/[projectId]/studies/[studyId]/annotation/route';
import * as annotationRoute from '@/app/api/annotations/[annotationId]/route';
import { decodeLabelmapRle, encodeLabelmapRle } from '@/lib/annotations/labelmap-rle.client';
import type { AnnotationView } from '@/lib/annotations/get-annotation';
import { ZAnnotationContent } from '@/lib/annotations/schemas';
import { getDb } from '@/lib/db/client';
import { ingestFiles } from '@/lib/dicom/ingest-files';
import { syntheticCtSeries } from '@/lib/dicom/synthetic-ct';
import { pseudonymOf } from '@/lib/ledger/pseudonym';
import { addProjectStudies } from '@/lib/projects/add-project-studies';
import { addSchemaVersion } from '@/lib/projects/add-schema-version';
import { setProjectArchived } from '@/lib/projects/archive-project';
import { createProject } from '@/lib/projects/create-project';
import { ZCreateProjectInput } from '@/lib/projects/schemas';
import { callRoute, signInOrThrow, type Session } from '../helpers/api';
import { killMidTransaction } from '../helpers/kill-mid-transaction';
import { makeUser } from '../helpers/users';

const SLICES = 4;
const SIZE = 512;
const VOXELS = SIZE * SIZE * SLICES;
const SCHEMA = {
  segments: [
    { value: 1, name: 'Liver', color: '#aa3300' },
    { value: 2, name: 'Lesion', color: '#00ff00' },
  ],
  boxes: [{ id: 'nodule', name: 'Nodule', color: '#ff0000' }],
  polygons: [{ id: 'outline', name: 'Outline', color: '#0000ff' }],
  questions: [{ id: 'quality', question: 'Image quality', level: 'study', choices: [{ id: 'good', label: 'Good' }, { id: 'poor', label: 'Poor' }] }],
};

type User = Awaited<ReturnType<typeof makeUser>>;
let projectId: string;
let studyId: string;
let seriesUid: string;
let sopUids: string[];
let readers: { user: User; session: Session }[];
let stranger: Session;
let engineer: Session;
let admin: User;

beforeAll(async () => {
  admin = await makeUser(['admin']);
  await ingestFiles(
    (async function* () {
      for (const body of syntheticCtSeries({ slices: SLICES, seed: 3 })) yield { body };
    })(),
    { actorUserId: admin.id },
  );
  const series = await getDb().series.findFirstOrThrow({ include: { instances: { orderBy: { instanceNumber: 'asc' } } } });
  studyId = series.studyId;
  seriesUid = series.seriesInstanceUid;
  sopUids = series.instances.map((i) => i.sopInstanceUid);
  const users = await Promise.all([1, 2, 3].map(() => makeUser(['radiologist'])));
  readers = await Promise.all(users.map(async (user) => ({ user, session: await signInOrThrow(user.email, user.password) })));
  const s = await makeUser(['radiologist']);
  stranger = await signInOrThrow(s.email, s.password);
  const e = await makeUser(['ml_engineer']);
  engineer = await signInOrThrow(e.email, e.password);
  ({ id: projectId } = await createProject({
    input: ZCreateProjectInput.parse({ name: 'Labels', readersPerStudy: 2, schema: SCHEMA, readers: users.map((u) => u.id) }),
    actorId: admin.id,
  }));
  await addProjectStudies({ projectId, input: { studyIds: [studyId] } });
});

const open = (session: Session) => callRoute(openRoute, 'POST', `/api/projects/${projectId}/studies/${studyId}/annotation`, { session, params: { projectId, studyId } });
const get = (id: string, session: Session) => callRoute(annotationRoute, 'GET', `/api/annotations/${id}`, { session, params: { annotationId: id } });
const put = (id: string, session: Session, body: unknown) => callRoute(annotationRoute, 'PUT', `/api/annotations/${id}`, { session, params: { annotationId: id }, body });

/** A labelmap with a disc of `value` on each slice (the liver) and a small square of lesion. */
function paint(radius: number): Uint8Array {
  const voxels = new Uint8Array(VOXELS);
  for (let z = 0; z < SLICES; z++) {
    for (let y = 0; y < SIZE; y++) {
      for (let x = 0; x < SIZE; x++) {
        const i = z * SIZE * SIZE + y * SIZE + x;
        if ((x - 300) ** 2 + (y - 250) ** 2 < radius ** 2) voxels[i] = 1;
        if (z === 1 && x >= 290 && x < 300 && y >= 240 && y < 250) voxels[i] = 2;
      }
    }
  }
  return voxels;
}
const labelmap = (voxels: Uint8Array, over: Record<string, unknown> = {}) => ({
  seriesInstanceUid: seriesUid,
  columns: SIZE,
  rows: SIZE,
  slices: SLICES,
  rle: Buffer.from(encodeLabelmapRle(voxels)).toString('base64'),
  ...over,
});
const content = () => ({
  regions: [
    { id: 'r1', classId: 'nodule', shape: 'box', seriesInstanceUid: seriesUid, sopInstanceUid: sopUids[1]!, points: [[100, 120], [140, 150]] },
    { id: 'r2', classId: 'outline', shape: 'polygon', seriesInstanceUid: seriesUid, sopInstanceUid: sopUids[2]!, points: [[10, 10], [50, 10], [30, 40]] },
  ],
  measurements: [{ id: 'm1', kind: 'length', seriesInstanceUid: seriesUid, sopInstanceUid: sopUids[0]!, points: [[0, 0], [511.5, 3]] }],
  answers: [{ questionId: 'quality', choiceIds: ['good'] }],
});
const body = (over: Record<string, unknown> = {}) => ({ baseVersion: 0, schemaVersion: 1, reason: 'save', content: content(), labelmaps: [labelmap(paint(40))], ...over });
const ledgerCount = () => getDb().ledgerEntry.count();
const versionCount = () => getDb().annotationVersion.count();

let mine: string;

describe('a reader opens their copy', () => {
  it('creates it once, for readers of the project only, up to the readers the study takes', async () => {
    const first = await open(readers[0]!.session);
    expect(first.status).toBe(201);
    mine = (first.json as unknown as AnnotationView).id;
    expect(first.json).toMatchObject({ status: 'in_progress', version: 0, canEdit: true, saved: null, draft: null, schema: { version: 1 } });
    expect((await open(readers[0]!.session)).json).toMatchObject({ id: mine });
    expect((await open(readers[1]!.session)).status).toBe(201);
    const third = await open(readers[2]!.session);
    expect(third.status).toBe(409);
    expect(third.json.message).toMatch(/already has its 2 readers/);
    expect((await open(stranger)).status).toBe(404);
    expect((await open(engineer)).status).toBe(403);
  });

  it('lets exactly as many readers in as the study takes when they open it at the same moment', async () => {
    const { id: raceProject } = await createProject({
      input: ZCreateProjectInput.parse({ name: 'Race', readersPerStudy: 1, schema: SCHEMA, readers: readers.map((r) => r.user.id) }),
      actorId: admin.id,
    });
    await addProjectStudies({ projectId: raceProject, input: { studyIds: [studyId] } });
    const results = await Promise.all(
      readers.map((r) => callRoute(openRoute, 'POST', `/api/projects/${raceProject}/studies/${studyId}/annotation`, { session: r.session, params: { projectId: raceProject, studyId } })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    expect(await getDb().annotation.count({ where: { projectId: raceProject } })).toBe(1);
  });
});

describe('saving', () => {
  it('stores a version that comes back voxel for voxel, with its ledger entry', async () => {
    const voxels = paint(40);
    const before = await ledgerCount();
    const res = await put(mine, readers[0]!.session, body({ labelmaps: [labelmap(voxels)] }));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ version: 1, savedAs: 'version', status: 'in_progress' });
    const view = (await get(mine, readers[0]!.session)).json as unknown as AnnotationView;
    // As stored: defaults filled in (frame 1 of single-frame images).
    expect(view.saved!.content).toEqual(ZAnnotationContent.parse(content()));
    const back = decodeLabelmapRle(Buffer.from(view.saved!.labelmaps[0]!.rle, 'base64'), VOXELS);
    expect(Buffer.compare(Buffer.from(back), Buffer.from(voxels))).toBe(0);
    expect(view.saved!.labelmaps[0]!.counts).toEqual({ 1: voxels.filter((v) => v === 1).length, 2: 100 });

    expect(await ledgerCount()).toBe(before + 1);
    const entry = await getDb().ledgerEntry.findFirstOrThrow({ orderBy: { seq: 'desc' } });
    expect(entry.type).toBe('annotation.created');
    expect(entry.actor).toBe(pseudonymOf(readers[0]!.user.id));
    const canonical = JSON.parse(entry.canonical) as { payload: Record<string, unknown>; subjects: string[] };
    expect(canonical.payload).toMatchObject({ project: projectId, version: 1, contentHash: view.saved!.contentHash, voxels: voxels.filter(Boolean).length });
    expect(entry.canonical).not.toContain(seriesUid.slice(0, 20));
    expect(entry.canonical).not.toContain(readers[0]!.user.email);
  });

  it('keeps autosaves as a draft, off the ledger, until the next save makes a version of it', async () => {
    const before = await ledgerCount();
    const draft = await put(mine, readers[0]!.session, body({ baseVersion: 1, reason: 'autosave', labelmaps: [labelmap(paint(50))] }));
    expect(draft.json).toMatchObject({ version: 1, savedAs: 'draft' });
    expect(await ledgerCount()).toBe(before);
    const view = (await get(mine, readers[0]!.session)).json as unknown as AnnotationView;
    expect(view.version).toBe(1);
    expect(decodeLabelmapRle(Buffer.from(view.draft!.labelmaps[0]!.rle, 'base64'), VOXELS)).toEqual(paint(50));
    const saved = await put(mine, readers[0]!.session, body({ baseVersion: 1, labelmaps: [labelmap(paint(50))] }));
    expect(saved.json).toMatchObject({ version: 2, savedAs: 'version' });
    const after = (await get(mine, readers[0]!.session)).json as unknown as AnnotationView;
    expect(after.draft).toBeNull();
    expect(after.history.map((h) => h.version)).toEqual([2, 1]);
    expect(after.history[0]!.changes.segments).toEqual([
      expect.objectContaining({ value: 1, before: paint(40).filter((v) => v === 1).length, after: paint(50).filter((v) => v === 1).length }),
    ]);
    expect((await getDb().ledgerEntry.findFirstOrThrow({ orderBy: { seq: 'desc' } })).type).toBe('annotation.edited');
  });

  it('refuses a save on top of an older version (another tab saved), and of two concurrent saves takes one', async () => {
    const stale = await put(mine, readers[0]!.session, body({ baseVersion: 1 }));
    expect(stale.status).toBe(409);
    expect(stale.json).toMatchObject({ latestVersion: 2 });
    const [a, b] = await Promise.all([put(mine, readers[0]!.session, body({ baseVersion: 2 })), put(mine, readers[0]!.session, body({ baseVersion: 2 }))]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect((await getDb().annotation.findUniqueOrThrow({ where: { id: mine } })).version).toBe(3);
  });
});

describe('two readers of one study', () => {
  it('saving their own copies at the same moments, each keeps exactly their own labels and versions', async () => {
    const { id: pairProject } = await createProject({
      input: ZCreateProjectInput.parse({ name: 'Pair', readersPerStudy: 2, schema: SCHEMA, readers: readers.map((r) => r.user.id) }),
      actorId: admin.id,
    });
    await addProjectStudies({ projectId: pairProject, input: { studyIds: [studyId] } });
    const [a, b] = readers;
    const openIn = (session: Session) => callRoute(openRoute, 'POST', '/x', { session, params: { projectId: pairProject, studyId } });
    const ids = [((await openIn(a!.session)).json as unknown as AnnotationView).id, ((await openIn(b!.session)).json as unknown as AnnotationView).id];
    const radius = (reader: number, round: number) => 20 + 10 * reader + round;
    // A save, an autosave (a draft on version 1), and a save of version 2 on top of it: each round by both at once.
    const rounds = [
      { baseVersion: 0, reason: 'save', version: 1 },
      { baseVersion: 1, reason: 'autosave', version: 1 },
      { baseVersion: 1, reason: 'save', version: 2 },
    ];
    for (const [round, { baseVersion, reason, version }] of rounds.entries()) {
      const saves = await Promise.all([a!, b!].map((r, i) => put(ids[i]!, r.session, body({ baseVersion, reason, labelmaps: [labelmap(paint(radius(i, round)))] }))));
      expect(saves.map((r) => [r.status, r.json.version])).toEqual([
        [200, version],
        [200, version],
      ]);
    }
    for (const [i, r] of [a!, b!].entries()) {
      const view = (await get(ids[i]!, r.session)).json as unknown as AnnotationView;
      expect(view.history.map((h) => h.version)).toEqual([2, 1]);
      expect(view.draft).toBeNull();
      expect(decodeLabelmapRle(Buffer.from(view.saved!.labelmaps[0]!.rle, 'base64'), VOXELS)).toEqual(paint(radius(i, 2)));
    }
  });
});

describe('an archived project', () => {
  it('refuses saves and new readers, and takes them again once restored', async () => {
    const before = { versions: await versionCount(), entries: await ledgerCount() };
    await setProjectArchived({ user: admin, projectId, archived: true });
    const refused = await put(mine, readers[0]!.session, body({ labelmaps: [labelmap(paint(10))] }));
    expect(refused.status).toBe(409);
    expect(refused.json.message).toMatch(/archived/);
    // Its members no longer see it at all.
    expect((await open(readers[2]!.session)).status).toBe(404);
    expect({ versions: await versionCount(), entries: await ledgerCount() }).toEqual(before);
    await setProjectArchived({ user: admin, projectId, archived: false });
    expect((await get(mine, readers[0]!.session)).status).toBe(200);
  });
});

describe('a save cut off mid-transaction', () => {
  it('leaves the stored version whole, writes no entry, and the next save goes on from it', async () => {
    // The second reader's copy, so the versions of the first's stay as the tests below expect.
    const { user, session } = readers[1]!;
    const theirs = ((await open(session)).json as unknown as AnnotationView).id;
    await put(theirs, session, body({ labelmaps: [labelmap(paint(20))] }));
    const before = (await get(theirs, session)).json as unknown as AnnotationView;
    const [ledger, versions] = [await ledgerCount(), await versionCount()];
    await killMidTransaction('tests/helpers/save-label-then-hang.ts', {
      HANG_USER_ID: user.id,
      HANG_ANNOTATION_ID: theirs,
      HANG_INPUT: JSON.stringify(body({ baseVersion: before.version, labelmaps: [labelmap(paint(30))] })),
    });
    expect([await ledgerCount(), await versionCount()]).toEqual([ledger, versions]);
    const after = (await get(theirs, session)).json as unknown as AnnotationView;
    expect(after.version).toBe(before.version);
    expect(after.saved).toEqual(before.saved);
    const next = await put(theirs, session, body({ baseVersion: before.version, labelmaps: [labelmap(paint(30))] }));
    expect(next.json).toMatchObject({ version: before.version + 1 });
  });
});

describe('bad labels are refused with a reason, and nothing is written', () => {
  const cases: [string, () => Record<string, unknown>, number, RegExp][] = [
    ['malformed labelmap bytes', () => body({ baseVersion: 3, labelmaps: [labelmap(paint(10), { rle: Buffer.from([0x80, 0x80]).toString('base64') })] }), 400, /malformed/],
    ['a labelmap bigger than the series', () => body({ baseVersion: 3, labelmaps: [labelmap(new Uint8Array(SIZE * SIZE * 5), { slices: 5 })] }), 400, /outside the volume/],
    ['runs past the volume', () => body({ baseVersion: 3, labelmaps: [labelmap(new Uint8Array(VOXELS + 7))] }), 400, /outside the volume/],
    ['a segment value not in the schema', () => body({ baseVersion: 3, labelmaps: [labelmap(new Uint8Array(VOXELS).fill(9, 0, 10))] }), 400, /Segment value 9/],
    ['a region class not in the schema', () => body({ baseVersion: 3, content: { ...content(), regions: [{ ...content().regions[0]!, classId: 'tumour' }] } }), 400, /"tumour"/],
    ['a polygon class drawn as a box', () => body({ baseVersion: 3, content: { ...content(), regions: [{ ...content().regions[0]!, classId: 'outline' }] } }), 400, /not drawn as a box/],
    ['a point outside its image', () => body({ baseVersion: 3, content: { ...content(), measurements: [{ ...content().measurements[0]!, points: [[0, 0], [600, 3]] }] } }), 400, /outside its 512×512 image/],
    ['an image of another study', () => body({ baseVersion: 3, content: { ...content(), regions: [{ ...content().regions[0]!, sopInstanceUid: '1.2.3.4' }] } }), 400, /not in series/],
    ['an unknown choice', () => body({ baseVersion: 3, content: { ...content(), answers: [{ questionId: 'quality', choiceIds: ['great'] }] } }), 400, /"great"/],
    ['an unknown field', () => ({ ...body({ baseVersion: 3 }), extra: true }), 400, /./],
  ];
  for (const [what, make, status, message] of cases) {
    it(what, async () => {
      const [ledger, versions] = [await ledgerCount(), await versionCount()];
      const res = await put(mine, readers[0]!.session, make());
      expect(res.status).toBe(status);
      expect(String(res.json.message)).toMatch(message);
      expect([await ledgerCount(), await versionCount()]).toEqual([ledger, versions]);
    });
  }

  it('bad JSON, an oversize body, another reader of the study, a stranger', async () => {
    const raw = await callRoute(annotationRoute, 'PUT', `/api/annotations/${mine}`, { session: readers[0]!.session, params: { annotationId: mine }, rawBody: '{"baseVersion":', headers: { 'content-type': 'application/json' } });
    expect(raw.status).toBe(400);
    const huge = await callRoute(annotationRoute, 'PUT', `/api/annotations/${mine}`, {
      session: readers[0]!.session,
      params: { annotationId: mine },
      rawBody: new Uint8Array(33 * 1024 * 1024).fill(32),
      headers: { 'content-type': 'application/json' },
    });
    expect(huge.status).toBe(400);
    expect(String(huge.json.message)).toMatch(/larger than 32 MiB/);
    // Readers are independent: another reader of the study neither edits nor sees this label.
    expect((await put(mine, readers[1]!.session, body({ baseVersion: 3 }))).status).toBe(404);
    expect((await get(mine, readers[1]!.session)).status).toBe(404);
    expect((await put(mine, stranger, body({ baseVersion: 3 }))).status).toBe(404);
    expect((await get(mine, stranger)).status).toBe(404);
    expect((await get(mine, engineer)).status).toBe(200);
  });
});

describe('schema changes and submitting', () => {
  it('refuses a label made with an older schema that no longer fits, and takes one that does', async () => {
    await addSchemaVersion({ projectId, schema: ZCreateProjectInput.shape.schema.parse({ ...SCHEMA, segments: [SCHEMA.segments[0]] }), actorId: admin.id });
    const old = await put(mine, readers[0]!.session, body({ baseVersion: 3 }));
    expect(old.status).toBe(409);
    expect(old.json.message).toMatch(/schema changed \(version 1 → 2\).*Segment value 2/);
    const fits = await put(mine, readers[0]!.session, body({ baseVersion: 3, labelmaps: [labelmap(paint(40).map((v) => (v === 2 ? 1 : v)))] }));
    expect(fits.status).toBe(200);
    // Recorded with the version it was made with.
    const row = await getDb().annotationVersion.findFirstOrThrow({ where: { annotationId: mine, version: 4 }, include: { schemaVersion: true } });
    expect(row.schemaVersion.version).toBe(1);
    expect(((await get(mine, readers[0]!.session)).json as unknown as AnnotationView).saved!.schemaVersion).toBe(1);
    // A version the project never had is refused, and nothing is written.
    const versions = await versionCount();
    const unknown = await put(mine, readers[0]!.session, body({ baseVersion: 4, schemaVersion: 3 }));
    expect(unknown.status).toBe(400);
    expect(unknown.json.message).toBe('This project has no label schema version 3 (its latest is 2).');
    expect(await versionCount()).toBe(versions);
  });

  it('submits only with the required answers, then freezes the label', async () => {
    const noAnswer = await put(mine, readers[0]!.session, body({ baseVersion: 4, schemaVersion: 2, reason: 'submit', labelmaps: [], content: { ...content(), answers: [] } }));
    expect(noAnswer.status).toBe(400);
    expect(noAnswer.json.message).toMatch(/Answer "Image quality"/);
    const submitted = await put(mine, readers[0]!.session, body({ baseVersion: 4, schemaVersion: 2, reason: 'submit', labelmaps: [] }));
    expect(submitted.json).toMatchObject({ version: 5, status: 'submitted' });
    const [edited, submittedEntry] = await getDb().ledgerEntry.findMany({ orderBy: { seq: 'desc' }, take: 2 }).then((r) => r.reverse());
    expect([edited!.type, submittedEntry!.type]).toEqual(['annotation.edited', 'annotation.submitted']);
    const after = await put(mine, readers[0]!.session, body({ baseVersion: 5, schemaVersion: 2 }));
    expect(after.status).toBe(409);
    expect(after.json.message).toMatch(/submitted/);
  });
});
