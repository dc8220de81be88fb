import { env } from '@/lib/config/env';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
type Level = Exclude<keyof typeof LEVELS, 'silent'>;

function write(level: Level, message: string, fields?: Record<string, unknown>) {
  if (LEVELS[level] < LEVELS[env.COHORT_LOG_LEVEL]) return;
  const stream = level === 'error' || level === 'warn' ? process.stderr : process.stdout;
  if (env.isProduction) {
    // One JSON object per line: what log shippers in a hospital's stack expect.
    stream.write(JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...serialize(fields) }) + '\n');
  } else {
    const extra = fields ? ' ' + JSON.stringify(serialize(fields)) : '';
    stream.write(`[cohort] ${level.padEnd(5)} ${message}${extra}\n`);
  }
}

function serialize(fields?: Record<string, unknown>) {
  if (!fields) return {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value;
  }
  return out;
}

export const log = {
  debug: (msg: string, fields?: Record<string, unknown>) => write('debug', msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => write('info', msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => write('warn', msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => write('error', msg, fields),
};
