import { readFileSync } from 'node:fs';
import path from 'node:path';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import * as bg from '@prisma/schema-engine-wasm/schema_engine_bg';

export type SchemaEngine = bg.SchemaEngine;
export const NO_FILTERS = { externalTables: [], externalEnums: [] };

let wasmReady = false;

/**
 * Prisma's schema engine compiled to WebAssembly, driven through our driver adapters: migrations run
 * without the downloaded native engine, so installs work offline (as hospital networks often are).
 */
export async function createSchemaEngine(
  schemaText: string,
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  onLog: (message: string) => void = () => {},
): Promise<SchemaEngine> {
  if (!wasmReady) {
    // The .wasm file is not in the package's exports: resolve the glue module from the project root
    // and take its sibling. getBuiltinModule keeps webpack from swapping in its own require.
    const { createRequire } = process.getBuiltinModule('node:module');
    const resolveFromRoot = createRequire(path.join(process.cwd(), 'package.json')).resolve;
    const wasmPath = resolveFromRoot('@prisma/schema-engine-wasm/schema_engine_bg').replace(/\.js$/, '.wasm');
    const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(wasmPath)), {
      './schema_engine_bg.js': bg as unknown as WebAssembly.ModuleImports,
    });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
    wasmReady = true;
  }
  return bg.SchemaEngine.new(
    { datamodels: [['schema.prisma', schemaText]] },
    (message: string) => onLog(message),
    bindMigrationAwareSqlAdapterFactory(adapterFactory),
  );
}
