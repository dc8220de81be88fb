import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export type Orthanc = {
  /** The DICOMweb root, e.g. http://127.0.0.1:8042/dicom-web */
  dicomWebUrl: string;
  restUrl: string;
  /** The Authorization header this Orthanc wants, when started with a user. */
  authorization?: string;
  /** Stores files through Orthanc's own REST API (as a modality would fill a PACS). */
  upload(files: string[]): Promise<void>;
  /** What Orthanc wrote to stderr so far (its log), for failure messages. */
  log(): string;
  stop(): Promise<void>;
};

/**
 * A real Orthanc (Debian's orthanc + orthanc-dicomweb), started for a test on a free loopback port
 * with its own storage, only reachable locally; optionally with HTTP basic authentication. Verbose
 * (its log helps a failing test) unless `quiet` (a benchmark).
 */
export async function startOrthanc({ user, quiet = false }: { user?: { name: string; password: string }; quiet?: boolean } = {}): Promise<Orthanc> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cohort-orthanc-'));
  const [port, dicomPort] = [await freePort(), await freePort()];
  const config = {
    Name: 'COHORT_TEST_PACS',
    StorageDirectory: path.join(dir, 'db'),
    IndexDirectory: path.join(dir, 'db'),
    HttpPort: port,
    DicomPort: dicomPort,
    RemoteAccessAllowed: false,
    AuthenticationEnabled: Boolean(user),
    RegisteredUsers: user ? { [user.name]: user.password } : {},
    Plugins: ['/usr/share/orthanc/plugins/libOrthancDicomWeb.so'],
    DicomWeb: { Enable: true, Root: '/dicom-web/', EnableWado: true, Host: `127.0.0.1:${port}`, Ssl: false },
    StableAge: 1,
  };
  writeFileSync(path.join(dir, 'orthanc.json'), JSON.stringify(config));
  const child: ChildProcess = spawn('/usr/sbin/Orthanc', [...(quiet ? [] : ['--verbose']), path.join(dir, 'orthanc.json')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const restUrl = `http://127.0.0.1:${port}`;
  const authorization = user ? `Basic ${Buffer.from(`${user.name}:${user.password}`).toString('base64')}` : undefined;
  const headers: Record<string, string> = authorization ? { authorization } : {};
  for (let tries = 0; ; tries++) {
    try {
      if ((await fetch(`${restUrl}/system`, { headers })).ok) break;
    } catch {
      // not listening yet
    }
    if (tries > 100 || child.exitCode !== null) throw new Error(`Orthanc did not start: ${stderr.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    dicomWebUrl: `${restUrl}/dicom-web`,
    restUrl,
    ...(authorization ? { authorization } : {}),
    async upload(files) {
      for (const file of files) {
        const res = await fetch(`${restUrl}/instances`, { method: 'POST', headers, body: readFileSync(file) });
        if (!res.ok) throw new Error(`Orthanc refused ${file}: ${res.status} ${await res.text()}`);
      }
    },
    log: () => stderr,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
