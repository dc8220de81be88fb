import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

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
  // tsx's own exit can come before the script's process (its child) has died: recovery code that
  // asks whether the writer still runs must not find it running.
  for (let waited = 0; (await liveMembers(child.pid!)) > 0; waited += 20) {
    if (waited > 10_000) throw new Error(`${script}: its processes outlived SIGKILL`);
    await sleep(20);
  }
}

/** Processes of group `pgid` that are not zombies (killed, not yet reaped). */
async function liveMembers(pgid: number): Promise<number> {
  let live = 0;
  for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    // pid (comm) state ppid pgrp …: comm may hold spaces and parentheses, so read after the last ')'.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') live++;
  }
  return live;
}
