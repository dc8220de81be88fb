import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '@/lib/errors/app-error';

/** Identifies this process across module reloads (dev HMR re-evaluates modules, not globalThis). */
const globalForLock = globalThis as typeof globalThis & { __cohortIpfsProcessToken?: string };
const processToken = (globalForLock.__cohortIpfsProcessToken ??= randomUUID());

/**
 * Takes `<dir>/repo.lock` for one Helia node. The file stores take no lock of their own, and two nodes on
 * one repository corrupt each other's pins without an error (seen under HMR before the node was cached on
 * globalThis); the CLI and the server sharing a data directory would do the same. A lock left by a process
 * that is gone (or by an earlier incarnation of this pid, as after a container restart) is taken over.
 * Returns the release function.
 */
export function lockRepo(dir: string): () => void {
  const file = path.join(dir, 'repo.lock');
  const mine = `${process.pid} ${processToken}`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, mine, { flag: 'wx' });
      const release = () => {
        try {
          if (fs.readFileSync(file, 'utf8') === mine) fs.unlinkSync(file);
        } catch {
          // already gone
        }
      };
      process.once('exit', release);
      return () => {
        process.removeListener('exit', release);
        release();
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const [pid, token] = readLock(file);
      const sameProcess = pid === process.pid && token === processToken;
      if (sameProcess || (pid !== undefined && pid !== process.pid && isAlive(pid))) {
        throw new AppError('SERVICE_UNAVAILABLE', `The IPFS repository is in use by ${sameProcess ? 'another node in this process' : `process ${pid}`}; stop it first.`);
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new AppError('SERVICE_UNAVAILABLE', 'The IPFS repository lock could not be taken.');
}

function readLock(file: string): [number | undefined, string | undefined] {
  try {
    const [pid, token] = fs.readFileSync(file, 'utf8').trim().split(' ');
    const n = Number(pid);
    return [Number.isInteger(n) && n > 0 ? n : undefined, token];
  } catch {
    return [undefined, undefined];
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A killed process nobody has reaped yet (a container without an init) still answers signal 0.
    return !isZombie(pid);
  } catch (err) {
    // EPERM: it exists, owned by someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isZombie(pid: number): boolean {
  try {
    // /proc/<pid>/stat: "pid (comm) S …"; comm may hold spaces and parentheses, the state follows the last ')'.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
  }
}
