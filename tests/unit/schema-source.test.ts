import { describe, expect, it } from 'vitest';
import { schemaForProvider } from '@/lib/db/schema-source';

describe('schemaForProvider', () => {
  it('refuses a schema without a datasource', () => {
    expect(() => schemaForProvider('sqlite', { schemaText: 'model A { id Int @id }' })).toThrow(/datasource/);
  });

  it('switches only the datasource provider, and the client output when asked', () => {
    const text = schemaForProvider('postgresql', { output: '/tmp/out' });
    expect(text).toMatch(/datasource db \{\s*provider = "postgresql"/);
    expect(text).toMatch(/output\s*=\s*"\/tmp\/out"/);
    // The generator's own provider line is untouched.
    expect(text).toMatch(/provider = "prisma-client"/);
  });
});
