// Lint: type-aware rules that catch real bugs, and the folder dependency rules that keep the rooms honest.
// The same rules hold in CI (npm test runs lint), and the bundle check backs up the workflow rule.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...new Set(builtinModules.flatMap((m) => (m.startsWith('node:') ? [m] : [m, `node:${m}`])))];
const banBuiltins = (why) => nodeBuiltins.map((name) => ({ name, message: why }));
// Workflow code proper: anything under workflows/ but a room's messages.ts and workflows/shared/.
const workflowCode = '(^|/)workflows/((?!shared/)[^/]+/(?!messages\\.ts$)[^/]+|index\\.ts)$';
const layer = (name) => [`**/${name}/**`, `../${name}/**`, `../../${name}/**`];

export default tseslint.config(
  { ignores: ['node_modules/**', '.tools/**', '.data/**', 'scratch/**', 'dist/**', 'supabase/.temp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // The cockpit's page scripts: browser ES modules served as they are (no build), outside the TypeScript project.
    files: ['api/ui/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: 'module',
      globals: Object.fromEntries(
        ['window', 'document', 'location', 'history', 'navigator', 'sessionStorage', 'fetch', 'URL', 'URLSearchParams', 'Node', 'Element', 'RadioNodeList', 'CSS',
          'requestAnimationFrame', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'].map((name) => [name, 'readonly']),
      ),
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no Node builtins, no I/O layers.
    files: ['workflows/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: banBuiltins('Workflow code runs in the Temporal sandbox: no Node builtins. Do this in an activity.'),
          patterns: [
            { group: layer('activities'), allowTypeImports: true, message: 'Workflows may import only the *type* of activities (import type), then proxyActivities.' },
            { group: [...layer('adapters'), ...layer('api'), ...layer('worker'), ...layer('infra'), '**/temporal.config*'], message: 'Workflows may not import adapters, the API, the worker, infra or process configuration.' },
          ],
        },
      ],
    },
  },
  {
    // The domain core is pure: no I/O, no Temporal, no environment.
    files: ['domain/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: banBuiltins('domain/ is pure: no Node builtins.'),
          patterns: [
            { group: ['@temporalio/*'], message: 'domain/ does not know about Temporal.' },
            { group: [...layer('adapters'), ...layer('activities'), ...layer('workflows'), ...layer('api'), ...layer('worker'), ...layer('infra'), '**/temporal.config*'], message: 'domain/ depends on nothing of the app.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'domain/ takes what it needs as parameters (now, config).' }],
    },
  },
  {
    files: ['activities/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: workflowCode, allowTypeImports: true, message: 'Activities may import workflow messages and types, not workflow code.' },
            { group: [...layer('api'), ...layer('worker'), ...layer('infra')], message: 'Activities reach the world through adapters (ports), not the API, worker or infra.' },
          ],
        },
      ],
    },
  },
  {
    files: ['adapters/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: [...layer('workflows'), ...layer('activities'), ...layer('api'), ...layer('worker'), ...layer('infra')], message: 'Adapters depend only on domain/.' }] },
      ],
    },
  },
  {
    files: ['api/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: workflowCode, allowTypeImports: true, message: 'The API uses workflows through their messages.ts (ids, signals, queries, updates) and types only.' },
            { group: [...layer('activities'), ...layer('worker'), ...layer('infra')], message: 'The API does not run activities or the worker.' },
          ],
        },
      ],
    },
  },
  {
    // Dev tools and tests talk to a terminal.
    files: ['infra/**/*.ts', '**/*.test.ts', 'bench/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
