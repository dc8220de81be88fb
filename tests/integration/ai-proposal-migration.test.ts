/**
 * Proposals and edit measurements made before detection and classification (migration
 * *_ai_proposal_tasks) keep what they were through the upgrade: a labelmap proposal's blob becomes
 * its output, a measured segment value its schema class, voxel counts its counts.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '@/lib/db/migrate';
import { migrationsUpTo } from '../helpers/migrations-up-to';
import { rawQuery } from '../helpers/raw-sql';
import { createTestDatabase } from '../helpers/test-database';

const provider = process.env.COHORT_TEST_DB === 'postgresql' ? 'postgresql' : 'sqlite';
const LAST_BEFORE_TASKS = '20261129095304_ai_proposal_edits';

const scratch: string[] = [];
afterAll(() => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe(`AI proposal migration: tasks (${provider})`, () => {
  it('keeps every proposal and edit, as segmentation measured in voxels', async () => {
    const database = await createTestDatabase(provider);
    try {
      const oldRoot = migrationsUpTo(provider, LAST_BEFORE_TASKS);
      scratch.push(oldRoot);
      await migrateDatabase({ databaseUrl: database.url, migrationsRoot: oldRoot });
      const now = provider === 'sqlite' ? "'2026-11-29T12:00:00.000+00:00'" : "'2026-11-29T12:00:00Z'";
      const sha = 'ab'.repeat(32);
      await rawQuery(database.url, `INSERT INTO project (id, name, created_by_id, updated_at) VALUES ('p1', 'Old', 'u1', ${now})`);
      await rawQuery(
        database.url,
        `INSERT INTO ai_proposal (id, project_id, study_id, series_instance_uid, job_id, model_name, model_version, model_sha256, manifest_hash, parameters, schema_version_id, columns, rows, slices, labelmap_sha256, counts, run_ms)
         VALUES ('a1', 'p1', 's1', '1.2.3', 'j1', 'ct-body-lungs-bone', '1.0.0', '${sha}', '${sha}', '{}', 'v1', 512, 512, 10, '${sha.replace(/a/g, 'c')}', '{"1":5}', 100)`,
      );
      await rawQuery(
        database.url,
        `INSERT INTO ai_proposal_edit (id, proposal_id, annotation_id, version, model_name, model_sha256, class_name, segment_value, proposal_voxels, final_voxels, intersection, dice, iou, seconds_spent)
         VALUES ('e1', 'a1', 'n1', 2, 'ct-body-lungs-bone', '${sha}', 'Lung', 7, 100, 80, 80, 0.888, 0.8, 30)`,
      );

      const { applied } = await migrateDatabase({ databaseUrl: database.url });
      expect(applied[0]).toMatch(/_ai_proposal_tasks$/);
      expect(await rawQuery(database.url, 'SELECT id, task, output_sha256 FROM ai_proposal')).toEqual([{ id: 'a1', task: 'segmentation', output_sha256: sha.replace(/a/g, 'c') }]);
      expect(await rawQuery(database.url, 'SELECT unit, class_name, schema_class, proposal_count, final_count, intersection FROM ai_proposal_edit')).toEqual([
        { unit: 'voxels', class_name: 'Lung', schema_class: '7', proposal_count: 100, final_count: 80, intersection: 80 },
      ]);
    } finally {
      await database.drop();
    }
  });
});
