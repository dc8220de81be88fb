/**
 * labels.save: saving and reloading a reader's 512×512×300 labelmap (body, lungs, spine: ~10 runs per
 * image row, like a real organ segmentation) through the same steps as the viewer and the API: rle1
 * encode, base64 JSON, request validation, schema and volume checks, blob store (fsync), version row
 * and ledger entry in one transaction, then reading it back and decoding it. Baseline: writing the
 * raw voxels to a file (fsync) and reading them back, in the same run. labels.payload: the bytes
 * sent per save vs the raw voxels.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { entry, medianMs, report } from './harness';

const COLUMNS = 512;
const ROWS = 512;
const SLICES = 300;
const VOXELS = COLUMNS * ROWS * SLICES;
const RUNS = 5;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cohort-bench-labels-'));
process.env.COHORT_DATA_DIR = dataDir;
process.env.DATABASE_URL = `file:${path.join(dataDir, 'cohort.db')}`;

const { migrateDatabase } = await import('../lib/db/migrate');
const { getDb, closeDb } = await import('../lib/db/client');
const { syntheticCtSeries } = await import('../lib/dicom/synthetic-ct');
const { ingestFiles } = await import('../lib/dicom/ingest-files');
const { createUser } = await import('../lib/users/create-user');
const { createProject } = await import('../lib/projects/create-project');
const { addProjectStudies } = await import('../lib/projects/add-project-studies');
const { ZCreateProjectInput } = await import('../lib/projects/schemas');
const { openAnnotation } = await import('../lib/annotations/open-annotation');
const { saveAnnotation } = await import('../lib/annotations/save-annotation');
const { getAnnotation } = await import('../lib/annotations/get-annotation');
const { ZSaveAnnotationInput } = await import('../lib/annotations/schemas');
const { encodeLabelmapRle, decodeLabelmapRle } = await import('../lib/annotations/labelmap-rle.client');
await migrateDatabase({ databaseUrl: process.env.DATABASE_URL });

const { user: reader } = await createUser({ input: { name: 'Bench Reader', email: 'reader@bench.local', roles: ['radiologist'], password: 'bench-reader-password' }, actorId: null, temporary: false });
const user = { id: reader.id, roles: ['radiologist' as const] };
await ingestFiles(
  (async function* () {
    for (const body of syntheticCtSeries({ slices: SLICES, spacing: 1.25 })) yield { body };
  })(),
  { actorUserId: reader.id },
);
const series = await getDb().series.findFirstOrThrow();
const { id: projectId } = await createProject({
  input: ZCreateProjectInput.parse({
    name: 'Bench',
    schema: { segments: [{ value: 1, name: 'Body', color: '#f4a261' }, { value: 2, name: 'Lung', color: '#2a9d8f' }, { value: 3, name: 'Bone', color: '#e9c46a' }] },
    readers: [reader.id],
  }),
  actorId: reader.id,
});
await addProjectStudies({ projectId, input: { studyIds: [series.studyId] } });
const { id: annotationId } = await openAnnotation({ user, projectId, studyId: series.studyId });

/** Body ellipse, two lung ellipsoids and a spine disc, varying along the table. */
function organLabelmap(): Uint8Array {
  const v = new Uint8Array(VOXELS);
  for (let z = 0; z < SLICES; z++) {
    const t = z / SLICES;
    const lung = 60 + 30 * Math.sin(Math.PI * t);
    for (let y = 0; y < ROWS; y++) {
      for (let x = 0; x < COLUMNS; x++) {
        const i = z * ROWS * COLUMNS + y * COLUMNS + x;
        if (((x - 256) / 200) ** 2 + ((y - 256) / 150) ** 2 > 1) continue;
        v[i] = 1;
        if (((x - 170) / lung) ** 2 + ((y - 230) / (lung * 1.3)) ** 2 < 1 || ((x - 342) / lung) ** 2 + ((y - 230) / (lung * 1.3)) ** 2 < 1) v[i] = 2;
        if ((x - 256) ** 2 + (y - 350) ** 2 < 22 ** 2) v[i] = 3;
      }
    }
  }
  return v;
}

const voxels = organLabelmap();
let version = 0;
let payloadBytes = 0;
const saveAndReload = async () => {
  const rle = encodeLabelmapRle(voxels);
  const body = JSON.stringify({
    baseVersion: version,
    schemaVersion: 1,
    reason: 'save',
    content: {},
    labelmaps: [{ seriesInstanceUid: series.seriesInstanceUid, columns: COLUMNS, rows: ROWS, slices: SLICES, rle: Buffer.from(rle).toString('base64') }],
  });
  payloadBytes = Buffer.byteLength(body);
  const saved = await saveAnnotation({ user, annotationId, input: ZSaveAnnotationInput.parse(JSON.parse(body)) });
  version = saved.version;
  const view = JSON.parse(JSON.stringify(await getAnnotation(user, annotationId))) as { saved: { labelmaps: { rle: string }[] } };
  const back = decodeLabelmapRle(Buffer.from(view.saved.labelmaps[0]!.rle, 'base64'), VOXELS);
  if (Buffer.compare(Buffer.from(back.buffer, back.byteOffset, back.length), Buffer.from(voxels.buffer)) !== 0) throw new Error('labelmap changed on the way');
};
await saveAndReload(); // warm-up
const oursMs = await medianMs(RUNS, saveAndReload);

const rawFile = path.join(dataDir, 'raw-voxels.bin');
const rawMs = await medianMs(RUNS, async () => {
  const handle = await fs.open(rawFile, 'w');
  await handle.writeFile(voxels);
  await handle.sync();
  await handle.close();
  const back = await fs.readFile(rawFile);
  if (back.length !== VOXELS) throw new Error('short read');
});

await closeDb();
rmSync(dataDir, { recursive: true, force: true });
report([
  entry('labels.save', 'ms', oursMs, 'raw voxels written (fsync) and read back', rawMs),
  entry('labels.payload', 'bytes', payloadBytes, 'raw voxels', VOXELS),
]);
