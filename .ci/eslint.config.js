// ESLint flat config. It lives in .ci/ because the repository's top level is fixed by the design
// card; `npm run lint` passes it with -c (point an editor's ESLint at this file the same way).
import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';

const root = fileURLToPath(new URL('..', import.meta.url));
const features = readdirSync(new URL('../src/web/features', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

const restrict = (patterns, paths = []) => [
  'error',
  { patterns: patterns.map(([group, message]) => ({ group, message })), paths: paths.map(([name, message]) => ({ name, message })) },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      eqeqeq: ['error', 'always'],
      // A composition root assigns late what a closure created earlier reads (webhook delivery).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      'import-x/no-cycle': 'off',
      'import-x/no-duplicates': 'error',
    },
  },
  {
    files: ['src/web/**/*.{ts,tsx}', 'test/web/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
  },
  // Typed rules for the server and its tests: every store call returns a Promise, and one not
  // awaited is a write that may land after the answer, or an error nobody sees.
  {
    files: ['src/server/**/*.ts', 'test/server/**/*.ts', 'test/support/**/*.ts', 'test/bench/**/*.ts', 'test/e2e/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: root } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  // The one-way flow (docs/web-layout.md): app/routes → features → shared → components → lib →
  // contract. A feature never imports another feature; what two features need lives in shared/.
  // Primitives and helpers never reach up.
  {
    files: ['src/web/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': restrict(
        [
          [['**/server/**', '**/belvo-sim/**'], 'The SPA never imports the server or the simulator; talk to /api over HTTP.'],
          [['node:*'], 'Node built-ins do not exist in the browser.'],
        ],
        [['zod', 'Use zod/mini in the SPA: the classic build costs ~20 KiB of the first-screen budget.']],
      ),
      'import-x/no-restricted-paths': [
        'error',
        {
          basePath: root,
          zones: [
            ...features.map((feature) => ({
              target: `./src/web/features/${feature}`,
              from: './src/web/features',
              except: [`./${feature}`],
              message: 'A feature never imports another feature: compose them in a route file.',
            })),
            { target: './src/web/shared', from: ['./src/web/features', './src/web/routes', './src/web/app'], message: 'shared/ holds what several features use: it never imports a feature, a route or the app.' },
            { target: './src/web/components', from: ['./src/web/features', './src/web/shared', './src/web/routes', './src/web/app'], message: 'UI primitives know no domain: they never import features, shared, routes or the app.' },
            { target: './src/web/lib', from: ['./src/web/features', './src/web/shared', './src/web/routes', './src/web/app', './src/web/components'], message: 'lib is below everything else in the SPA.' },
            { target: './src/web/features', from: ['./src/web/routes', './src/web/app'], message: 'Features never import routes or the app shell.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/server/**/*.ts'],
    ignores: ['src/server/run-server.ts'],
    rules: {
      'no-restricted-imports': restrict([
        [['**/web/**'], 'The server never imports the SPA.'],
        [['**/belvo-sim/**'], 'Only run-server.ts (the composition root) may build the simulator; take Belvo as an injected client.'],
      ]),
    },
  },
  // Inside the server, HTTP sits on top: routes (with their helpers in http/) → services →
  // store/belvo → contract. Background work calls services like a route would; nothing below the
  // routes knows about HTTP.
  {
    files: ['src/server/**/*.ts'],
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          basePath: root,
          zones: [
            { target: './src/server/services', from: ['./src/server/routes', './src/server/http', './src/server/background', './src/server/auth'], message: 'Services take plain inputs: they never import routes, HTTP helpers, auth middleware or background work.' },
            { target: './src/server/background', from: ['./src/server/routes', './src/server/http'], message: 'Background work calls services, never routes.' },
            { target: './src/server/store', from: ['./src/server/routes', './src/server/http', './src/server/services', './src/server/background', './src/server/belvo'], message: 'Stores hold the SQL and nothing else.' },
            { target: './src/server/belvo', from: ['./src/server/routes', './src/server/http', './src/server/services', './src/server/background', './src/server/store'], message: 'The Belvo client knows only Belvo.' },
            { target: './src/server/http', from: ['./src/server/routes'], message: 'HTTP helpers serve the routes; they never import one.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/server/run-server.ts'],
    rules: { 'no-restricted-imports': restrict([[['**/web/**'], 'The server never imports the SPA.']]) },
  },
  {
    files: ['src/belvo-sim/**/*.ts'],
    rules: { 'no-restricted-imports': restrict([[['**/web/**', '**/server/**'], 'The simulator is Belvo: it knows nothing of Linkdesk.']]) },
  },
  {
    files: ['src/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(
        [
          [['**/web/**', '**/server/**', '**/belvo-sim/**'], 'The contract depends on nothing but zod.'],
        ],
        [['zod', 'The contract uses zod/mini so the SPA can import it cheaply.']],
      ),
    },
  },
);
