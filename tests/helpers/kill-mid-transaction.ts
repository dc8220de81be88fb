import { spawn } from 'node:child_process';
import path from 'node:path';

/**
 * Runs a helper script (tests/helpers/*-then-hang.ts) in a child process until it prints "inside"
 * (its transaction is open), then kills it with SIGKILL, as a crash would, and waits for it to be gone.
 */
export async function killMidTransaction(script: string, env: Record<string, string>): Promise<void> {
  const child = spawn(process.execPath, [path.join(process.cwd(), 'node_modules/tsx/dist/cli.mjs'), script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // tsx runs the script in a child of its own: kill the whole group
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => String(d).includes('inside') && resolve());
    child.on('exit', (code) => reject(new Error(`${script} exited (${code}) before reaching its transaction: ${stderr}`)));
  });
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(-child.pid!, 'SIGKILL');
  await exited;
}
