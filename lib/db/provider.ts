export const DATABASE_PROVIDERS = ['sqlite', 'postgresql'] as const;
export type DatabaseProvider = (typeof DATABASE_PROVIDERS)[number];

/** SQLite for `file:` URLs (the zero-setup default), PostgreSQL for `postgres://` / `postgresql://`. */
export function providerOf(databaseUrl: string): DatabaseProvider {
  if (databaseUrl.startsWith('file:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return 'postgresql';
  throw new Error(`Unsupported DATABASE_URL scheme: ${databaseUrl.split(':')[0]}:`);
}

export function sqliteFilePath(databaseUrl: string): string {
  return databaseUrl.replace(/^file:(\/\/)?/, '');
}
