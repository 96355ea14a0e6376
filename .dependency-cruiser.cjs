// The import rules of the house (ARCHITECTURE.md's layering, and no cycles): the only place they
// are written down. `npm run lint` cruises with this file and with .dependency-cruiser.bundles.cjs;
// tests/unit/layering.test.ts proves on tests/fixtures/layering/ that every rule fires.
//
// Type-only imports count here (tsPreCompilationDeps): they couple the layers and close cycles
// even when a bundle drops them, and the acceptance check (madge --circular) counts them.

const BROWSER = '^src/(ui|webparts|extensions)/';
// Resolved packages may sit in a symlinked node_modules (a worktree's), so no `^` before it.
const npm = (names) => `(^|/)node_modules/(${names.join('|')})/`;

/** Which modules hold the Exact client secret or a direct Exact token: never in a browser bundle. */
const SERVER_ONLY = '^src/exact/(oauth|axiosTransport)\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'No import cycles: in a cycle one module runs before what it imports has loaded, and no layer can be read or tested on its own. Move what both sides need into a module of its own.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'gateway-not-sandbox',
      severity: 'error',
      comment: 'gateway/ imports nothing from sandbox/: the gateway is deployed, the sandbox is the local stand-in for Exact and SharePoint.',
      from: { path: '^gateway/' },
      to: { path: '^sandbox/' },
    },
    {
      name: 'src-not-gateway-or-sandbox',
      severity: 'error',
      comment: 'src/ imports nothing from gateway/ or sandbox/: src is what SharePoint loads.',
      from: { path: '^src/' },
      to: { path: '^(gateway|sandbox)/' },
    },
    {
      name: 'sync-only-zod-date-fns',
      severity: 'error',
      comment: 'src/sync imports only zod, date-fns and src/sync itself: no other package, no node: builtin, no other folder.',
      from: { path: '^src/sync/' },
      to: { pathNot: ['^src/sync/', npm(['zod', 'date-fns'])] },
    },
    {
      name: 'lower-layers-not-upper',
      severity: 'error',
      comment: 'src/sync, src/crm and src/exact import nothing from src/services, src/ui, src/webparts or src/extensions.',
      from: { path: '^src/(sync|crm|exact)/' },
      to: { path: '^src/(services|ui|webparts|extensions)/' },
    },
    {
      name: 'crm-exact-apart',
      severity: 'error',
      comment: 'src/crm and src/exact do not import each other; src/sync ports and src/services join them.',
      from: { path: '^src/(crm|exact)/' },
      to: { path: '^src/(crm|exact)/', pathNot: '^src/$1/' },
    },
    {
      name: 'browser-not-crm-or-exact',
      severity: 'error',
      comment: 'src/ui, src/webparts and src/extensions import nothing from src/crm or src/exact: they go through the interfaces of src/services.',
      from: { path: BROWSER },
      to: { path: '^src/(crm|exact)/' },
    },
    {
      name: 'browser-no-pnp-or-axios',
      severity: 'error',
      comment: 'src/ui, src/webparts and src/extensions import neither PnPjs (@pnp/sp, @pnp/queryable, @pnp/core) nor axios; src/services does the talking.',
      from: { path: BROWSER },
      to: { path: npm(['@pnp/sp', '@pnp/queryable', '@pnp/core', 'axios']) },
    },
    {
      name: 'msal-only-in-token-provider',
      severity: 'error',
      comment: '@azure/msal-browser only in src/exact/msalTokenProvider.ts and sandbox/.',
      from: { pathNot: ['^src/exact/msalTokenProvider\\.ts$', '^sandbox/'] },
      to: { path: npm(['@azure/msal-browser']) },
    },
    {
      name: 'server-only-not-in-bundles',
      // Dependency-cruiser's reachability follows type-only imports too, which no bundle holds;
      // .dependency-cruiser.bundles.cjs turns this rule on over the compiled imports instead.
      severity: 'ignore',
      comment:
        'src/exact/oauth.ts and src/exact/axiosTransport.ts (client secret, direct Exact token) must not be reachable by value imports from src/ui, src/webparts or src/extensions; import their types only.',
      from: { path: BROWSER },
      to: { path: SERVER_ONLY, reachable: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: {
      // Build output, SPFx's AMD string files, our ambient declarations, and the fabricated
      // violations tests/unit/layering.test.ts cruises on purpose. Anchored at the repository: in a
      // package, lib/ dist/ and .d.ts are its code, and dropping them would hide imports of it.
      path: ['^(lib|lib-commonjs|temp|dist|release|sandbox-data|coverage)/', '^src/(loc|.+/loc)/.+\\.js$', '^(src|gateway|sandbox|tests|scripts)/.*\\.d\\.ts$', '^tests/fixtures/'],
    },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.node.json' },
  },
};
