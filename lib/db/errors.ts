/** Error codes meaning "the database cannot be reached right now", across pg, Prisma and SQLite. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'P1001', // can't reach database server
  'P1002', // server timed out
  'P1017', // server closed the connection
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  'SQLITE_CANTOPEN',
]);

const UNAVAILABLE_MESSAGES =
  /ECONNREFUSED|Connection terminated|connection timeout|Can't reach database|DatabaseNotReachable|the database system is (starting up|shutting down)|unable to open database file/i;

export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 8; depth++) {
    if (typeof e !== 'object') return false;
    const { code, kind, message, cause } = e as { code?: unknown; kind?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
    if (kind === 'DatabaseNotReachable' || kind === 'ConnectionClosed') return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message)) return true;
    if (e instanceof AggregateError && e.errors.some(isDatabaseUnavailable)) return true;
    e = cause;
  }
  return false;
}
