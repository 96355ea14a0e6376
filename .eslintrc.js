require('@rushstack/eslint-config/patch/modern-module-resolution');
module.exports = {
  extends: ['@microsoft/eslint-config-spfx/lib/profiles/react'],
  parserOptions: { tsconfigRootDir: __dirname, project: './tsconfig.node.json' },
  ignorePatterns: ['lib/**', 'temp/**', 'node_modules/**', 'release/**', 'sandbox-data/**', '*.js'],
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
  ],
};
