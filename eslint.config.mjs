// Lint rules of Aegis, run by `npm run lint` in `npm test`. Type-aware where it catches real bugs: a promise nobody
// awaits (a write that may land after the answer, or an unhandled rejection that kills the process) and unused code.
// Formatting is Prettier's job (`npm run format`); eslint-config-prettier turns off the rules that would fight it.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'dist-bench/', '.data/', 'coverage/', 'clients/generated/', 'test/fixtures/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-unused-expressions': 'error',
      // Decorated GraphQL types and MikroORM entities declare their fields for the metadata; `!` is how they say it.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // A `require()` inside a function is how Aegis loads a heavy module on first use (the OpenAI SDK, the
      // embedded PostgreSQL, the bench's compiled server): it keeps the start fast (scripts/startup-time.js).
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    // Tests and the bench read untyped JSON answers and probe with malformed values on purpose.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
