/**
 * Overlapping segments over the real routes: a series' labels as layers (a lesion drawn inside the
 * liver on a layer of its own), stored and given back layer for layer, exported as one DICOM-SEG
 * whose frames keep both segments whole (and that imports back to the same layers), compared between
 * readers on whichever layer holds each segment, and layers that do not fit together refused with a
 * reason and nothing written.
 */
import dicomParser from 'dicom-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import * as agreementRoute from '@/app/api/projects/[projectId]/agreement/route';
import * as segRoute from '@/app/api/annotations/[annotationId]/seg/route';
import * as annotationRoute from '@/app/api/annotations/[annotationId]/route';
import * as openRoute from '@/app/api/projects/[projectId]/studies/[studyId]/annotation/route';
import type { AnnotationView } from '@/lib/annotations/get-annotation';
import { decodeLabelmapRle, encodeLabelmapRle } from '@/lib/annotations/labelmap-rle.client';
import type { ProjectAgreement } from '@/lib/annotations/project-agreement';
import { getDb } from '@/lib/db/client';
import { ingestFiles } from '@/lib/dicom/ingest-files';
import { syntheticCtSeries } from '@/lib/dicom/synthetic-ct';
import { addProjectStudies } from '@/lib/projects/add-project-studies';
import { createProject } from '@/lib/projects/create-project';
import { ZCreateProjectInput } from '@/lib/projects/schemas';
import { callRoute, ORIGIN, signInOrThrow, type Session } from '../helpers/api';
import { makeUser } from '../helpers/users';

const SLICES = 3;
const SIZE = 512;
const FRAME = SIZE * SIZE;
const SCHEMA = {
  segments: [
    { value: 1, name: 'Liver', color: '#aa3300' },
    { value: 2, name: 'Lesion', color: '#00ff00' },
  ],
};

let projectId: string;
let studyId: string;
let seriesUid: string;
let readers: Session[];
let engineer: Session;
const copies: string[] = [];

beforeAll(async () => {
  const admin = await makeUser(['admin']);
  await ingestFiles(
    (async function* () {
      for (const body of syntheticCtSeries({ slices: SLICES, seed: 11 })) yield { body };
    })(),
    { actorUserId: admin.id },
  );
  const series = await getDb().series.findFirstOrThrow();
  studyId = series.studyId;
  seriesUid = series.seriesInstanceUid;
  const users = await Promise.all([1, 2].map(() => makeUser(['radiologist'])));
  readers = await Promise.all(users.map((u) => signInOrThrow(u.email, u.password)));
  const e = await makeUser(['ml_engineer']);
  engineer = await signInOrThrow(e.email, e.password);
  ({ id: projectId } = await createProject({ input: ZCreateProjectInput.parse({ name: 'Layers', readersPerStudy: 2, schema: SCHEMA, readers: users.map((u) => u.id) }), actorId: admin.id }));
  await addProjectStudies({ projectId, input: { studyIds: [studyId] } });
  for (const session of readers) copies.push(((await callRoute(openRoute, 'POST', '/x', { session, params: { projectId, studyId } })).json as unknown as AnnotationView).id);
});

/** A square of `value` on slice `z`: [x0, x1) × [y0, y1). */
function square(voxels: Uint8Array, value: number, z: number, [x0, x1]: [number, number], [y0, y1]: [number, number]): Uint8Array {
  for (let y = y0; y < y1; y++) voxels.fill(value, z * FRAME + y * SIZE + x0, z * FRAME + y * SIZE + x1);
  return voxels;
}
const empty = () => new Uint8Array(FRAME * SLICES);
/** The liver on slices 0 and 1; the lesion inside it on slice 1, where both hold. */
const liver = () => square(square(empty(), 1, 0, [100, 200], [100, 200]), 1, 1, [100, 200], [100, 200]);
const lesion = () => square(empty(), 2, 1, [150, 160], [150, 170]);
const layer = (voxels: Uint8Array, n: number) => ({ seriesInstanceUid: seriesUid, layer: n, columns: SIZE, rows: SIZE, slices: SLICES, rle: Buffer.from(encodeLabelmapRle(voxels)).toString('base64') });
const body = (labelmaps: unknown[], baseVersion = 0) => ({ baseVersion, schemaVersion: 1, reason: 'save', content: { regions: [], measurements: [], answers: [] }, labelmaps });
const put = (copy: number, payload: unknown) => callRoute(annotationRoute, 'PUT', '/x', { session: readers[copy]!, params: { annotationId: copies[copy]! }, body: payload });
const view = async (copy: number) => (await callRoute(annotationRoute, 'GET', '/x', { session: readers[copy]!, params: { annotationId: copies[copy]! } })).json as unknown as AnnotationView;

describe('overlapping segments on layers of their own', () => {
  it('stores each layer and gives it back voxel for voxel, counted over the series', async () => {
    const res = await put(0, body([layer(liver(), 0), layer(lesion(), 1)]));
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const saved = (await view(0)).saved!;
    expect(saved.labelmaps.map((l) => [l.layer, l.counts])).toEqual([
      [0, { 1: 2 * 100 * 100 }],
      [1, { 2: 10 * 20 }],
    ]);
    for (const [n, voxels] of [liver(), lesion()].entries()) {
      const back = decodeLabelmapRle(Buffer.from(saved.labelmaps[n]!.rle, 'base64'), FRAME * SLICES);
      expect(Buffer.compare(Buffer.from(back), Buffer.from(voxels)), `layer ${n}`).toBe(0);
    }
    // Moving the lesion back onto layer 0 (cutting it out of the liver) is a change of the liver only.
    const flat = liver();
    square(flat, 2, 1, [150, 160], [150, 170]);
    expect((await put(0, body([layer(flat, 0)], 1))).status).toBe(200);
    const history = (await view(0)).history;
    expect(history[0]!.changes.segments).toEqual([{ seriesId: expect.any(String), value: 1, before: 20_000, after: 20_000 - 200 }]);
    expect((await put(0, body([layer(liver(), 0), layer(lesion(), 1)], 2))).status).toBe(200);
  });

  it('exports one DICOM-SEG in which both segments are whole where they overlap', async () => {
    const res = await segRoute.GET(new Request(`${ORIGIN}/api/annotations/${copies[0]}/seg?series=${seriesUid}`, { headers: { cookie: readers[0]!.cookie } }), {
      params: Promise.resolve({ annotationId: copies[0]! }),
    });
    expect(res.status).toBe(200);
    const data = dicomParser.parseDicom(new Uint8Array(await res.arrayBuffer()));
    expect(data.string('x00620013')).toBe('YES');
    // Frames: the liver on slices 0 and 1, the lesion on slice 1, in that order.
    const frames = data.elements.x52009230!.items!.map((item) => item.dataSet!.elements.x0062000a!.items![0]!.dataSet!.uint16('x0062000b'));
    expect(frames).toEqual([1, 1, 2]);
    const pixels = data.byteArray.subarray(data.elements.x7fe00010!.dataOffset, data.elements.x7fe00010!.dataOffset + data.elements.x7fe00010!.length);
    const bit = (frame: number, x: number, y: number) => (pixels[(frame * FRAME + y * SIZE + x) >> 3]! >> ((frame * FRAME + y * SIZE + x) & 7)) & 1;
    // At (155, 160) on slice 1 the liver's frame and the lesion's frame are both set.
    expect([bit(1, 155, 160), bit(2, 155, 160), bit(2, 120, 120), bit(1, 120, 120)]).toEqual([1, 1, 0, 1]);
  });

  it('compares each segment between readers on the layer that holds it in each copy', async () => {
    // The second reader drew the same lesion on layer 0, with a hole cut into the liver for it.
    const flat = liver();
    square(flat, 2, 1, [150, 160], [150, 170]);
    expect((await put(1, body([layer(flat, 0)]))).status).toBe(200);
    const result = (await callRoute(agreementRoute, 'GET', '/x', { session: engineer, params: { projectId } })).json as unknown as ProjectAgreement;
    const bySegment = Object.fromEntries(result.pairs.map((p) => [p.segment, [p.voxelsA, p.voxelsB, p.dice]]));
    // The lesion is the same 200 voxels in both; the liver differs by exactly those 200.
    expect(bySegment[2]).toEqual([200, 200, 1]);
    expect(bySegment[1]).toEqual([20_000, 19_800, (2 * 19_800) / 39_800]);
  });

  it("imports such a SEG into another reader's copy with the same layers, voxel for voxel", async () => {
    const exported = await segRoute.GET(new Request(`${ORIGIN}/api/annotations/${copies[0]}/seg?series=${seriesUid}`, { headers: { cookie: readers[0]!.cookie } }), {
      params: Promise.resolve({ annotationId: copies[0]! }),
    });
    const bytes = new Uint8Array(await exported.arrayBuffer());
    const res = await callRoute(segRoute, 'POST', '/x', { session: readers[1]!, params: { annotationId: copies[1]! }, rawBody: bytes, headers: { 'content-type': 'application/dicom' } });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.warnings).toEqual([]);
    const [mine, theirs] = [(await view(0)).saved!, (await view(1)).saved!];
    expect(theirs.labelmaps.map((l) => [l.layer, l.counts])).toEqual(mine.labelmaps.map((l) => [l.layer, l.counts]));
    expect(theirs.labelmaps.map((l) => l.rle)).toEqual(mine.labelmaps.map((l) => l.rle));
  });

  it('refuses layers that do not fit together, with the reason, and writes nothing', async () => {
    const versions = await getDb().annotationVersion.count();
    const cases: [unknown[], RegExp][] = [
      [[layer(lesion(), 1)], /layers are 1; they must be numbered 0, 1/],
      [[layer(liver(), 0), layer(lesion(), 2)], /layers are 0, 2/],
      [[layer(liver(), 0), layer(lesion(), 0)], /layers are 0, 0/],
      [[layer(liver(), 0), layer(square(empty(), 1, 2, [0, 5], [0, 5]), 1)], /segment 1 is on layers 0 and 1/],
      [[layer(liver(), 0), { ...layer(lesion(), 1), slices: SLICES + 1 }], /outside the volume/],
      [[layer(liver(), 0), layer(lesion(), 8)], /./],
    ];
    for (const [labelmaps, message] of cases) {
      const res = await put(0, body(labelmaps, 3));
      expect(res.status, String(message)).toBe(400);
      expect(String(res.json.message)).toMatch(message);
    }
    expect(await getDb().annotationVersion.count()).toBe(versions);
  });
});
