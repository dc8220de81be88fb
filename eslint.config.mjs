import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

// House boundaries (ARCHITECTURE.md): lib/ is the framework-free domain and never imports app/,
// components/, React or Next; components/ only present, so they take types (not code) from lib/.
const libBoundary = {
  patterns: [
    { group: ['react', 'react-dom', 'react/*', 'react-dom/*'], message: 'lib/ is framework-free: no React.' },
    { group: ['next', 'next/*'], message: 'lib/ is framework-free: put Next.js glue in app/_lib.' },
    { group: ['@/app/*', '@/components/*', '../app/*', '../components/*'], message: 'lib/ never imports app/ or components/.' },
  ],
};

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    files: ['lib/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', libBoundary] },
  },
  {
    files: ['components/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // lib/ is server code; a pure module named *.client is safe for the browser too.
              regex: '^@/lib/(?!.*\\.client$)',
              allowTypeImports: true,
              message: 'Components present; pass data from the page. Type imports from lib/ are fine.',
            },
            { group: ['@/app/*'], message: 'components/ never imports app/.' },
          ],
        },
      ],
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  globalIgnores(['.next/**', 'out/**', 'next-env.d.ts', 'lib/db/generated/**', 'data/**', 'test-results/**', 'playwright-report/**', 'tests/.artifacts/**']),
]);
