import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cruise, type ICruiseOptions, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { beforeAll, describe, expect, it } from 'vitest';

// The import rules live in .dependency-cruiser.cjs (and its bundle view); `npm run lint` runs them
// through the depcruise CLI. These tests run the same files through the API: the tree obeys them,
// and each rule fires on its fabricated violation in tests/fixtures/layering/.

const root = join(__dirname, '../..');
const fixture = join(root, 'tests/fixtures/layering');
const tsConfigFile = join(root, 'tsconfig.node.json');

/** The roots `npm run lint` cruises in each view. */
const SOURCE_ROOTS = ['src', 'gateway', 'sandbox', 'tests/support', 'scripts'];
const BUNDLE_ROOTS = ['src'];

type View = 'source' | 'bundles';
const CONFIG: Record<View, string> = { source: '.dependency-cruiser.cjs', bundles: '.dependency-cruiser.bundles.cjs' };

async function cruiseWith(view: View, baseDir: string, roots: string[]): Promise<ICruiseResult> {
  const options: ICruiseOptions = await extractDepcruiseOptions(join(root, CONFIG[view]));
  // The configs name tsconfig.node.json relative to the repository, where the CLI runs.
  options.tsConfig = { fileName: tsConfigFile };
  const { output } = await cruise(roots, { ...options, baseDir }, {}, { tsConfig: extractTSConfig(tsConfigFile) });
  if (typeof output === 'string') throw new Error(`expected a cruise result, got: ${output.slice(0, 200)}`);
  return output;
}

/** A violation as `from → to` under its rule; a reachability violation names the path it found. */
function describeViolation(v: IViolation): string {
  const path = v.cycle ?? v.via;
  const chain = path ? [v.from, ...path.map((step) => step.name)].join(' → ') : `${v.from} → ${v.to}`;
  return `${v.rule.name}: ${chain}`;
}

describe('the import rules on the tree as it is', () => {
  it('holds in the source view: no cycle, no layering violation (type-only imports count)', async () => {
    const result = await cruiseWith('source', root, SOURCE_ROOTS);
    expect(result.summary.totalCruised).toBeGreaterThan(250);
    expect(result.summary.violations.map(describeViolation)).toEqual([]);
  });

  it('holds in the bundle view: no server-only Exact code reachable from a browser module', async () => {
    const result = await cruiseWith('bundles', root, BUNDLE_ROOTS);
    expect(result.summary.violations.map(describeViolation)).toEqual([]);
  });

  it('src/sync calls no HTTP global (fetch, XMLHttpRequest) either, which no import rule sees', async () => {
    const result = await cruiseWith('source', root, ['src/sync']);
    const files = result.modules.map((m) => m.source).filter((source) => source.startsWith('src/sync/'));
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      expect(readFileSync(join(root, file), 'utf8'), file).not.toMatch(/\b(XMLHttpRequest|fetch\()/);
    }
  });
});

describe('each import rule fires on tests/fixtures/layering', () => {
  let source: string[] = [];
  let bundles: string[] = [];
  let sourceResult: ICruiseResult | undefined;
  let bundleResult: ICruiseResult | undefined;

  beforeAll(async () => {
    sourceResult = await cruiseWith('source', fixture, ['src', 'gateway', 'sandbox']);
    bundleResult = await cruiseWith('bundles', fixture, BUNDLE_ROOTS);
    source = sourceResult.summary.violations.map(describeViolation);
    bundles = bundleResult.summary.violations.filter((v) => v.rule.name === 'server-only-not-in-bundles').map(describeViolation);
  });

  const expected: Record<string, string[]> = {
    'no-circular': ['no-circular: src/sync/cycleA.ts → src/sync/cycleB.ts → src/sync/cycleA.ts'],
    'gateway-not-sandbox': ['gateway-not-sandbox: gateway/app.ts → sandbox/exact.ts'],
    'src-not-gateway-or-sandbox': ['src-not-gateway-or-sandbox: src/services/backdoor.ts → sandbox/exact.ts'],
    'sync-only-zod-date-fns': ['sync-only-zod-date-fns: src/sync/disk.ts → fs', expect.stringMatching(/^sync-only-zod-date-fns: src\/sync\/http\.ts → .*node_modules\/axios\//)],
    'lower-layers-not-upper': ['lower-layers-not-upper: src/crm/upward.ts → src/services/api.ts'],
    'crm-exact-apart': ['crm-exact-apart: src/crm/list.ts → src/exact/client.ts', 'crm-exact-apart: src/exact/crmNames.ts → src/crm/schema.ts'],
    'browser-not-crm-or-exact': ['browser-not-crm-or-exact: src/webparts/part/Part.ts → src/crm/list.ts'],
    'browser-no-pnp-or-axios': [expect.stringMatching(/^browser-no-pnp-or-axios: src\/ui\/Grid\.tsx → .*node_modules\/@pnp\/sp\//)],
    'msal-only-in-token-provider': [expect.stringMatching(/^msal-only-in-token-provider: src\/services\/msal\.ts → .*node_modules\/@azure\/msal-browser\//)],
  };

  it('has a fabricated violation for every rule', async () => {
    // The bundle view extends the source view, so its rule set is all of them.
    const { ruleSet } = await extractDepcruiseOptions(join(root, CONFIG.bundles));
    const names = (ruleSet?.forbidden ?? []).map((rule) => rule.name);
    expect([...Object.keys(expected), 'server-only-not-in-bundles'].sort()).toEqual([...names].sort());
  });

  for (const [rule, violations] of Object.entries(expected)) {
    it(`${rule} fires on its fabricated violation`, () => {
      expect(source.filter((v) => v.startsWith(`${rule}: `))).toEqual(violations);
    });
  }

  it('server-only-not-in-bundles fires on a chain of value imports, and names the chain', () => {
    expect(bundles).toEqual([
      'server-only-not-in-bundles: src/extensions/menu/Menu.ts → src/services/connect.ts → src/services/exactLogin.ts → src/exact/oauth.ts',
    ]);
  });

  it('lets a browser module reach server-only code by type-only imports, which the bundle view does not see', () => {
    const tokens = (result: ICruiseResult | undefined) =>
      result?.modules.find((m) => m.source === 'src/services/tokens.ts')?.dependencies.map((d) => d.resolved).sort();
    // Both kinds: `import type`, and a plain import used only as a type, which tsc drops all the same.
    expect(tokens(sourceResult)).toEqual(['src/exact/axiosTransport.ts', 'src/exact/oauth.ts']);
    expect(tokens(bundleResult)).toEqual([]);
    expect(bundles.filter((v) => v.includes('TokenBadge'))).toEqual([]);
  });

  it('fires nowhere else: the allowed imports of the fixture pass', () => {
    // Each rule's own test holds its list to exactly the fabricated violations; this catches a rule
    // firing that has no list, such as the reachability rule in the source view.
    expect(source.filter((v) => !Object.keys(expected).some((rule) => v.startsWith(`${rule}: `)))).toEqual([]);
  });
});
