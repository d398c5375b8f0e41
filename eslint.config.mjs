// Shared lint rules for every package: typed-free recommended rules keep lint fast on 2 cores.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/src/generated/**', '.usher/**', '**/coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: [
      '**/*.test.ts',
      '**/test/**',
      '**/main.ts',
      '**/examples/**',
      'packages/devstack/**',
      'packages/testkit/**',
      'bench/**',
    ],
    rules: { 'no-console': 'off' },
  },
);
