import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const APP_GROUP = path.join(process.cwd(), 'app', '(app)');

function pages(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? pages(full) : e.name === 'page.tsx' ? [full] : [];
  });
}

describe('signed-in pages', () => {
  it('each guards itself with requirePageUser (layouts do not re-run on client navigation)', () => {
    const found = pages(APP_GROUP);
    expect(found.length).toBeGreaterThan(10);
    const unguarded = found.filter((file) => !/await requirePageUser\(/.test(readFileSync(file, 'utf8')));
    expect(unguarded.map((f) => path.relative(process.cwd(), f))).toEqual([]);
  });
});
