// The bundle view of .dependency-cruiser.cjs: the same rules over the imports TypeScript emits, so
// type-only imports are gone, as they are from a web part bundle. Dependency-cruiser's reachability
// follows every import whatever its type, hence this view of its own for server-only-not-in-bundles.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  extends: './.dependency-cruiser.cjs',
  forbidden: [{ name: 'server-only-not-in-bundles', severity: 'error' }],
  options: { tsPreCompilationDeps: false },
};
