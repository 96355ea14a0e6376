require('@rushstack/eslint-config/patch/modern-module-resolution');

// Which folder may import which, and import cycles, are dependency-cruiser's (.dependency-cruiser.cjs,
// run by `npm run lint`): it follows imports across files, which this rule cannot.

// Per component (`@fluentui/react/lib/Button`): the barrel's re-exports bring all of Fluent UI v8
// into a bundle, about 300 KB minified; issue 12 keeps each bundle at 150 KB gzip.
const noFluentBarrel = { name: '@fluentui/react', message: 'import Fluent UI per component (@fluentui/react/lib/Button), never the barrel' };

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
    'no-restricted-imports': ['error', { paths: [noFluentBarrel] }],
  },
  overrides: [
    {
      files: ['tests/**/*.ts', 'sandbox/**/*.ts', 'gateway/**/*.ts'],
      rules: { '@rushstack/pair-react-dom-render-unmount': 'off' },
    },
  ],
};
