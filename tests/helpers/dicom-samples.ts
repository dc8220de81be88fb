import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The shared real-world DICOM set (../shared/dicom-samples, see its README): read in place, never
 * copied into the repository. COHORT_DICOM_SAMPLES points elsewhere if a checkout lives apart from it.
 */
export const SAMPLES_DIR = [
  process.env.COHORT_DICOM_SAMPLES,
  path.resolve(process.cwd(), '../shared/dicom-samples'),
  '/work/shared/dicom-samples',
].find((dir): dir is string => !!dir && existsSync(path.join(dir, 'README.md')))
  ?? (() => {
    throw new Error('The DICOM samples were not found: set COHORT_DICOM_SAMPLES to the dicom-samples directory.');
  })();

export const sample = (relative: string) => path.join(SAMPLES_DIR, relative);

/** Every file under a samples subdirectory, sorted (many have no extension). */
export function samplesUnder(relative: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir)
      .sort()
      .flatMap((name) => {
        const p = path.join(dir, name);
        return statSync(p).isDirectory() ? walk(p) : [p];
      });
  return walk(sample(relative));
}
