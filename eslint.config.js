// Lint rules, including the architecture's boundaries (../shared/STYLE.md):
// - nobody deep-imports another workspace package (`@tideline/x/src/...`);
// - packages never import services, and a service never imports another service;
// - contracts imports nothing of ours; windowing imports nothing at all.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const deepImports = {
  group: ['@tideline/*/*'],
  message: 'Import a workspace package through its entry point only.',
};
const serviceImports = {
  group: ['**/services/**', '@tideline/source-api', '@tideline/ingest', '@tideline/processor'],
  message: 'Services are composition roots: nothing imports them.',
};

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.local/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use an `as const` object instead of an enum.' },
      ],
      'no-restricted-imports': ['error', { patterns: [deepImports, serviceImports] }],
    },
  },
  {
    files: ['packages/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Packages receive configuration; only main.ts reads the environment.',
        },
        { object: 'process', property: 'exit', message: 'Packages never exit the process.' },
      ],
    },
  },
  {
    files: ['packages/contracts/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            deepImports,
            serviceImports,
            { group: ['@tideline/*'], message: 'contracts imports nothing of ours.' },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/windowing/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // Relative imports within the package only: not even ../../ out of src.
              regex: '^(?!\\.{1,2}/(?!\\.\\./))',
              message: 'windowing is pure: it imports nothing but its own files.',
            },
          ],
        },
      ],
    },
  },
);
