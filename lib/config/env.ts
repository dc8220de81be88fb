import path from 'node:path';
import { z } from 'zod';

/** The only module that reads process.env. Parsed once; everything else imports `env`. */

const booleanFromString = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const ZRateLimit = z
  .string()
  .regex(/^\d+\/\d+$/, 'expected "<max>/<seconds>", e.g. "10/60"')
  .transform((v) => {
    const [max, window] = v.split('/').map(Number) as [number, number];
    return { max, window };
  });

const ZEnv = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Where Cohort keeps its SQLite database, blobs and generated secrets. */
  COHORT_DATA_DIR: z.string().min(1).default('data'),
  /** `file:...` (SQLite, default under the data directory) or `postgres://...`. */
  DATABASE_URL: z
    .string()
    .refine((v) => v.startsWith('file:') || /^postgres(ql)?:\/\//.test(v), {
      message: 'must start with file: (SQLite) or postgres:// (PostgreSQL)',
    })
    .optional(),
  /** The origin browsers use to reach Cohort; sign-in and forms are refused from any other origin. */
  COHORT_URL: z.url().optional(),
  /** Extra origins allowed to post forms (comma-separated), e.g. a second hostname behind a proxy. */
  COHORT_TRUSTED_ORIGINS: z.string().default(''),
  /**
   * Web apps on other origins (comma-separated, e.g. an OHIF Viewer hosted elsewhere) allowed to read
   * /dicomweb from the browser with an access token (CORS). Never with cookies: sessions stay same-origin.
   */
  COHORT_DICOMWEB_ORIGINS: z.string().default(''),
  /** Proxies whose X-Forwarded-For is believed when rate limiting (comma-separated IPs or CIDRs). */
  COHORT_TRUSTED_PROXIES: z.string().default(''),
  /** Secret that signs session cookies. Generated into the data directory when unset. */
  BETTER_AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Keys the pseudonyms of people in the ledger. Generated into the data directory when unset; never rotate. */
  COHORT_PSEUDONYM_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  /** The ledger's Ed25519 signing key (C2SP "PRIVATE+KEY+..." form). Generated when unset. */
  COHORT_LEDGER_SIGNING_KEY: z.string().startsWith('PRIVATE+KEY+').optional(),
  /** SQLite fsync policy per commit: NORMAL (default, see lib/db/adapter.ts) or FULL. */
  COHORT_SQLITE_SYNCHRONOUS: z.enum(['NORMAL', 'FULL', 'normal', 'full']).default('NORMAL').transform((v) => v.toUpperCase() as 'NORMAL' | 'FULL'),
  /** How often the server signs a checkpoint of the ledger when it has grown (minutes; 0 = never). */
  COHORT_CHECKPOINT_MINUTES: z.coerce.number().min(0).max(24 * 60).default(60),
  COHORT_ADMIN_EMAIL: z.string().trim().toLowerCase().pipe(z.email()).default('admin@cohort.local'),
  /** Initial admin password; generated and printed once when unset. */
  COHORT_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  /** Seed the demo users on start (`npm run setup` seeds them regardless). */
  COHORT_DEMO: booleanFromString.default(false),
  COHORT_SESSION_HOURS: z.coerce.number().positive().max(24 * 30).default(12),
  /** Sign-in attempts allowed per client address and window: "<max>/<seconds>". */
  COHORT_SIGNIN_RATE_LIMIT: ZRateLimit.default({ max: 10, window: 60 }),
  /** Largest DICOM file accepted (bytes; up to 2 GiB − 1). Larger uploads are cut off as they stream. */
  COHORT_MAX_DICOM_BYTES: z.coerce.number().int().min(1024).max(2 ** 31 - 1).default(1024 ** 3),
  /** Most bytes a zip archive may unpack to, all members together. */
  COHORT_MAX_ARCHIVE_BYTES: z.coerce.number().int().min(1024).default(20 * 1024 ** 3),
  COHORT_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** Where the model registry looks for shipped models: one folder per model (model.onnx + manifest.json). */
  COHORT_MODELS_DIR: z.string().min(1).default('models'),
  /** Largest .onnx file an ML engineer may upload from /models (bytes). */
  COHORT_MAX_MODEL_BYTES: z.coerce.number().int().min(1024).default(2 * 1024 ** 3),
  /** ONNX Runtime threads per session run (0: one per core). */
  COHORT_INFERENCE_THREADS: z.coerce.number().int().min(0).max(256).default(0),
  /** Try the CUDA execution provider first (falls back to CPU when it is not there). */
  COHORT_INFERENCE_CUDA: booleanFromString.default(false),
  /** Largest volume a job will run on, in voxels: a bigger one is refused before it could exhaust memory. */
  COHORT_INFERENCE_MAX_VOXELS: z.coerce.number().int().min(1).default(1024 * 1024 * 1024),
  /** The ffmpeg the server decodes video (MPEG-2, H.264, HEVC transfer syntaxes) with: a path, or a name on PATH. */
  COHORT_FFMPEG: z.string().min(1).default('ffmpeg'),
  /** Most disk the decoded frames of videos may take under the data directory (MiB); the least recently viewed go first. */
  COHORT_VIDEO_CACHE_MB: z.coerce.number().int().min(1).default(4096),
  /**
   * JPIP servers whose pixels JPIP-referenced images may be drawn from, comma-separated origins
   * (`https://jpip.example.org:8080`). None by default: the server fetches only from those an admin trusts.
   */
  COHORT_JPIP_ORIGINS: z.string().default(''),
  /** Which IPFS node publishes and serves datasets: the embedded Helia node, or Kubo / IPFS Cluster over RPC. */
  COHORT_IPFS: z.enum(['helia', 'kubo']).default('helia'),
  /**
   * Where the embedded node listens for peers, comma-separated multiaddrs. Loopback on a random port by
   * default; a fixed port (`/ip4/0.0.0.0/tcp/4001`) lets peers elsewhere fetch published datasets.
   */
  COHORT_IPFS_LISTEN: z.string().default('/ip4/127.0.0.1/tcp/0'),
  /** Kubo's RPC API or an IPFS Cluster proxy, when COHORT_IPFS=kubo; `user:password@` in it is sent as Basic auth. */
  COHORT_KUBO_RPC_URL: z.url().default('http://127.0.0.1:5001'),
  /** How long an IPFS operation may wait on a peer or on Kubo without any progress before it fails (ms). */
  COHORT_IPFS_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  /**
   * Purposes a study may be used for until its patient declines (opt-out), comma-separated; every
   * other purpose needs a grant first (opt-in). Empty by default: opt-in for everything.
   */
  COHORT_CONSENT_OPT_OUT: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((p) => p.trim()).filter(Boolean))
    .pipe(z.array(z.enum(['research', 'ai_training', 'commercial', 'education', 'public_release']))),
});

export type Env = ReturnType<typeof parseEnv>;

export function parseEnv(source: Record<string, string | undefined>) {
  const raw = ZEnv.parse(source);
  const dataDir = path.resolve(raw.COHORT_DATA_DIR);
  const databaseUrl = raw.DATABASE_URL ?? `file:${path.join(dataDir, 'cohort.db')}`;
  const appUrl = (raw.COHORT_URL ?? `http://localhost:${raw.PORT}`).replace(/\/+$/, '');
  return {
    ...raw,
    dataDir,
    databaseUrl,
    databaseProvider: databaseUrl.startsWith('file:') ? ('sqlite' as const) : ('postgresql' as const),
    appUrl,
    trustedOrigins: splitList(raw.COHORT_TRUSTED_ORIGINS),
    trustedProxies: splitList(raw.COHORT_TRUSTED_PROXIES),
    dicomwebOrigins: splitList(raw.COHORT_DICOMWEB_ORIGINS).map((origin) => origin.replace(/\/+$/, '')),
    blobDir: path.join(dataDir, 'blobs'),
    modelsDir: path.resolve(raw.COHORT_MODELS_DIR),
    /** Models uploaded from /models: beside the data, never in the shipped folder. */
    uploadedModelsDir: path.join(dataDir, 'models'),
    /** The embedded IPFS node's repository (blocks, pins, its key). */
    ipfsDir: path.join(dataDir, 'ipfs'),
    /** Decoded video frames, kept so a frame is not decoded again with every frame before it. */
    videoCacheDir: path.join(dataDir, 'cache', 'video'),
    ipfsListen: splitList(raw.COHORT_IPFS_LISTEN),
    isProduction: raw.NODE_ENV === 'production',
  };
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function loadEnv(): Env {
  try {
    return parseEnv(process.env);
  } catch (err) {
    if (err instanceof z.ZodError) {
      // A readable list beats a stack trace when an operator mistypes a variable.
      const lines = err.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
      throw new Error(`Invalid Cohort configuration:\n${lines.join('\n')}`, { cause: err });
    }
    throw err;
  }
}

export const env: Env = loadEnv();
