require('@rushstack/eslint-config/patch/modern-module-resolution');

// The layering rules of ARCHITECTURE.md, as far as import patterns can say them; the authority is
// tests/unit/layering.test.ts (it also follows imports transitively). ESLint replaces a rule's
// options per matching override instead of merging them, so each override lists all that apply.
const why = 'see the layering rules in tests/support/layering.ts';
const noSandbox = { group: ['**/sandbox', '**/sandbox/**'], message: `gateway/ imports nothing from sandbox/ (${why})` };
const noGatewayOrSandbox = { group: ['**/gateway/**', '**/sandbox/**'], message: `src/ imports nothing from gateway/ or sandbox/ (${why})` };
const noMsal = { group: ['@azure/msal-browser'], message: `@azure/msal-browser only in src/exact/msalTokenProvider.ts and sandbox/ (${why})` };
const coreOnly = {
  group: ['react', 'react-dom', 'axios', '@pnp/*', '@microsoft/*', '@fluentui/*', '@azure/*', 'jose', 'node:*'],
  message: `src/sync imports only zod, date-fns and sync itself (${why})`,
};
const noUpper = { group: ['../services', '../services/*', '../ui', '../ui/*', '../webparts/*', '../extensions/*'], message: `src/sync, src/crm and src/exact import nothing from the layers above them (${why})` };
const noExact = { group: ['../exact', '../exact/*'], message: `src/crm and src/exact do not import each other (${why})` };
const noCrm = { group: ['../crm', '../crm/*'], message: `src/crm and src/exact do not import each other (${why})` };
const browserOnly = {
  group: ['axios', '@pnp/sp', '@pnp/sp/*', '@pnp/queryable', '**/exact/oauth', '**/exact/axiosTransport'],
  message: `src/ui, src/webparts and src/extensions use neither PnPjs, axios nor server-only Exact code; services come from src/services (${why})`,
};
// Per component (`@fluentui/react/lib/Button`): the barrel's re-exports bring all of Fluent UI v8
// into a bundle, about 300 KB minified; issue 12 keeps each bundle at 150 KB gzip.
const noFluentBarrel = { name: '@fluentui/react', message: 'import Fluent UI per component (@fluentui/react/lib/Button), never the barrel' };
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { paths: [noFluentBarrel], patterns }] });

module.exports = {
  extends: ['@microsoft/eslint-config-spfx/lib/profiles/react'],
  parserOptions: { tsconfigRootDir: __dirname, project: './tsconfig.node.json' },
  ignorePatterns: ['lib/**', 'temp/**', 'node_modules/**', 'release/**', 'sandbox-data/**', '*.js', 'tests/fixtures/layering/**'],
  rules: {
    // Exact and SharePoint field names are PascalCase and come with odd shapes; the type-level
    // rules below are what we lean on instead.
    '@typescript-eslint/naming-convention': 'off',
    '@typescript-eslint/no-explicit-any': 'error',
    '@typescript-eslint/no-floating-promises': 'error',
    '@rushstack/no-new-null': 'off',
    '@rushstack/typedef-var': 'off',
    '@typescript-eslint/explicit-function-return-type': 'off',
    '@typescript-eslint/explicit-member-accessibility': 'off',
    '@typescript-eslint/member-ordering': 'off',
    '@typescript-eslint/no-use-before-define': 'off',
    'no-void': 'off',
  },
  overrides: [
    {
      files: ['tests/**/*.ts', 'sandbox/**/*.ts', 'gateway/**/*.ts'],
      rules: { '@rushstack/pair-react-dom-render-unmount': 'off' },
    },
    { files: ['gateway/**/*.ts'], rules: restrict(noSandbox, noMsal) },
    { files: ['src/**/*.ts', 'src/**/*.tsx'], rules: restrict(noGatewayOrSandbox, noMsal) },
    { files: ['src/sync/**/*.ts'], rules: restrict(noGatewayOrSandbox, noMsal, coreOnly) },
    { files: ['src/crm/**/*.ts'], rules: restrict(noGatewayOrSandbox, noMsal, noUpper, noExact) },
    { files: ['src/exact/**/*.ts'], excludedFiles: ['src/exact/msalTokenProvider.ts'], rules: restrict(noGatewayOrSandbox, noMsal, noUpper, noCrm) },
    { files: ['src/exact/msalTokenProvider.ts'], rules: restrict(noGatewayOrSandbox, noUpper, noCrm) },
    {
      files: ['src/ui/**/*.{ts,tsx}', 'src/webparts/**/*.{ts,tsx}', 'src/extensions/**/*.{ts,tsx}'],
      rules: restrict(noGatewayOrSandbox, noMsal, browserOnly),
    },
  ],
};
