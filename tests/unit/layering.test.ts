import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLayering, importsOf, readSources, REACHABILITY_RULE, type SourceFile } from '../support/layering';

const root = join(__dirname, '../..');
const tree = readSources(root, ['src', 'gateway', 'sandbox']);
const treeFiles = new Set(tree.map((s) => s.path));

/** The real tree plus fabricated files, resolved against both. */
const withTree = (...fabricated: SourceFile[]) => checkLayering([...tree, ...fabricated], new Set([...treeFiles, ...fabricated.map((f) => f.path)]));
const rulesBroken = (...fabricated: SourceFile[]) => withTree(...fabricated).filter((v) => fabricated.some((f) => f.path === v.file));

describe('layering of src/, gateway/ and sandbox/', () => {
  it('reads every source file and its imports', () => {
    expect(tree.length).toBeGreaterThan(80);
    const engine = tree.find((s) => s.path === 'src/sync/run/engine.ts');
    expect(importsOf(engine?.text ?? '').map((i) => i.specifier)).toEqual(expect.arrayContaining(['../clock', '../read/exactRead', 'zod']));
  });

  it('holds for the tree as it is', () => {
    expect(checkLayering(tree)).toEqual([]);
  });

  it('src/sync calls no HTTP global (fetch, XMLHttpRequest) either', () => {
    for (const file of tree.filter((s) => s.path.startsWith('src/sync/'))) {
      expect(file.text, file.path).not.toMatch(/\b(XMLHttpRequest|fetch\()/);
    }
  });
});

describe('the layering checker', () => {
  it('finds every form of import, and which ones a bundle drops', () => {
    const text = [
      "import a from 'pkg-a';",
      "import type { T } from 'pkg-t';",
      "import { type U, type V } from 'pkg-uv';",
      "import { type W, x } from 'pkg-wx';",
      "export * from './local';",
      "export type { Y } from './types';",
      "import 'side-effect';",
      "const lazy = import('pkg-lazy');",
      "const old = require('pkg-old');",
      "// import nope from 'in-a-comment';",
      "/* import nope from 'in-a-block'; */",
      "const banner = 'const u = require(\"in-a-string\")';",
      'import {\n  many,\n  lines,\n} from "pkg-multi";',
    ].join('\n');
    expect(importsOf(text).map((i) => [i.specifier, i.typeOnly])).toEqual([
      ['pkg-a', false],
      ['pkg-t', true],
      ['pkg-uv', true],
      ['pkg-wx', false],
      ['./local', false],
      ['./types', true],
      ['side-effect', false],
      ['pkg-lazy', false],
      ['pkg-old', false],
      ['pkg-multi', false],
    ]);
  });

  const cases: Array<[string, SourceFile, string]> = [
    ['gateway importing sandbox', { path: 'gateway/extra.ts', text: "import { sandboxApp } from '../sandbox/exact';" }, 'gateway/ imports nothing from sandbox/'],
    ['src importing gateway', { path: 'src/crm/extra.ts', text: "import type { GatewayDeps } from '../../gateway/app';" }, 'src/ imports nothing from gateway/ or sandbox/'],
    ['src importing sandbox', { path: 'src/services/extra.ts', text: "import { demoUsers } from '../../sandbox/idp';" }, 'src/ imports nothing from gateway/ or sandbox/'],
    ['core importing crm', { path: 'src/sync/extra.ts', text: "import type { SPFI } from '../crm/pnp';" }, 'src/sync imports only zod, date-fns and sync itself'],
    ['core importing an HTTP library', { path: 'src/sync/extra.ts', text: "import axios from 'axios';" }, 'src/sync imports only zod, date-fns and sync itself'],
    ['crm importing services', { path: 'src/crm/extra.ts', text: "import { createConnectorServices } from '../services';" }, 'src/sync, src/crm and src/exact import nothing from the layers above them'],
    ['exact importing crm', { path: 'src/exact/extra.ts', text: "import { CRM_LISTS } from '../crm/schema';" }, 'src/crm and src/exact do not import each other'],
    ['a web part importing PnPjs', { path: 'src/webparts/importProfiles/ImportProfilesWebPart.ts', text: "import { spfi } from '@pnp/sp';" }, 'src/ui, src/webparts and src/extensions import neither PnPjs nor axios'],
    ['ui importing a PnPjs module', { path: 'src/ui/components/RunList.tsx', text: "import '@pnp/sp/items';" }, 'src/ui, src/webparts and src/extensions import neither PnPjs nor axios'],
    ['an extension importing axios', { path: 'src/extensions/adminMenu/AdminMenuApplicationCustomizer.ts', text: "import axios from 'axios';" }, 'src/ui, src/webparts and src/extensions import neither PnPjs nor axios'],
    ['MSAL outside its module', { path: 'src/services/extra.ts', text: "import { PublicClientApplication } from '@azure/msal-browser';" }, '@azure/msal-browser only in src/exact/msalTokenProvider.ts and sandbox/'],
    ['a web part reaching the OAuth module', { path: 'src/webparts/exactConnection/ExactConnectionWebPart.ts', text: "import { exchangeCode } from '../../exact/oauth';" }, REACHABILITY_RULE],
  ];
  for (const [what, source, rule] of cases) {
    it(`fails on ${what}`, () => {
      expect(rulesBroken(source).map((v) => v.rule)).toContain(rule);
    });
  }

  it('follows value imports through other modules to server-only code, and names the chain', () => {
    const helper: SourceFile = { path: 'src/services/exactLogin.ts', text: "export { exchangeAuthorizationCode } from '../exact/oauth';" };
    const services: SourceFile = { path: 'src/services/connector.ts', text: "import type { Profile } from '../sync/profile';\nexport * from './exactLogin';" };
    const webPart: SourceFile = { path: 'src/webparts/customerFinance/CustomerFinanceWebPart.ts', text: "import { createConnectorServices } from '../../services/connector';" };
    const [violation] = rulesBroken(helper, services, webPart).filter((v) => v.rule === REACHABILITY_RULE);
    expect(violation).toMatchObject({ file: webPart.path, via: ['src/services/connector.ts', 'src/services/exactLogin.ts', 'src/exact/oauth.ts'] });
  });

  it('lets a web part use core, services and type-only imports of server modules', () => {
    const services: SourceFile = { path: 'src/services/connector.ts', text: "import type { ExactTokens } from '../exact/oauth';\nexport { SyncEngine } from '../sync';" };
    const ui: SourceFile = { path: 'src/ui/ProfileList.tsx', text: "import * as React from 'react';\nimport type { ProfileEntry } from '../sync/ports';\nimport { formatZodIssues } from '../sync/issues';" };
    const webPart: SourceFile = { path: 'src/webparts/importProfiles/ImportProfilesWebPart.ts', text: "import { SyncEngine } from '../../services/connector';\nimport { ProfileList } from '../../ui/ProfileList';" };
    expect(rulesBroken(services, ui, webPart)).toEqual([]);
  });
});
