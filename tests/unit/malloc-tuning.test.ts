import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const printTunables = (env: NodeJS.ProcessEnv) =>
  execFileSync('sh', ['scripts/with-malloc-tuning.sh', process.execPath, '-e', 'process.stdout.write(process.env.GLIBC_TUNABLES ?? "")'], { env, encoding: 'utf8' });

describe('scripts/with-malloc-tuning.sh (how npm start, the CLI and the benchmarks run)', () => {
  it("sets glibc's malloc to keep buffers up to 64 MiB on the heap and 512 MiB of freed memory", () => {
    const { GLIBC_TUNABLES: _unset, ...env } = process.env;
    expect(printTunables(env)).toBe('glibc.malloc.mmap_threshold=67108864:glibc.malloc.trim_threshold=536870912');
  });

  it('leaves tunables an operator set alone', () => {
    expect(printTunables({ ...process.env, GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' })).toBe('glibc.malloc.arena_max=2');
  });
});
