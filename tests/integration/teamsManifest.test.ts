/**
 * The Teams app manifest in teams/ (for a customer who sideloads instead of "Sync to Teams"):
 * valid against the Teams manifest schema v1.17, its tabs point at web parts that declare the
 * matching Teams host, it has Dutch names, it zips into TeamsSPFxApp.zip as Teams wants it, and its
 * icons are what Teams asks for (colour 192×192, outline 32×32 white on transparent).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { solutionComponents } from '../../scripts/solutionComponents';
import { decodePng, pixelAt } from '../support/png';
import { teamsAppFiles } from '../../scripts/teamsAppPackage';
import { teamsLocalizationProblems, teamsManifestProblems, teamsManifestSchema, type TeamsManifest } from '../../scripts/teamsManifestSchema';
import { deflatedZip, zipEntries } from '../../scripts/zip';

const root = join(__dirname, '../..');
const raw: unknown = JSON.parse(readFileSync(join(root, 'teams/manifest.json'), 'utf8'));
const manifest: TeamsManifest = teamsManifestSchema.parse(raw);
const components = solutionComponents(root);
const componentIdIn = (url: string): string | undefined => /componentId=([0-9a-f-]{36})/i.exec(decodeURIComponent(url))?.[1];

describe('teams/manifest.json', () => {
  it('is valid against the Teams manifest schema v1.17', () => {
    expect(teamsManifestProblems(raw)).toEqual([]);
    expect(manifest.$schema).toBe('https://developer.microsoft.com/json-schemas/teams/v1.17/MicrosoftTeams.schema.json');
  });

  it('the schema check refuses what Teams refuses, naming the field', () => {
    const broken = (patch: Record<string, unknown>): string[] => teamsManifestProblems({ ...manifest, ...patch });
    expect(broken({ manifestVersion: '1.16' })).toEqual([expect.stringMatching(/^manifestVersion /)]);
    expect(broken({ description: { ...manifest.description, short: 'x'.repeat(81) } })).toEqual([expect.stringMatching(/^description\.short .*80/)]);
    expect(broken({ version: '0.1.0.0' })).toEqual(['version must be MAJOR.MINOR.PATCH']);
    expect(broken({ accentColor: 'blue' })).toEqual(['accentColor must be #RRGGBB']);
    expect(broken({ configurableTabs: [...(manifest.configurableTabs ?? []), ...(manifest.configurableTabs ?? [])] })).toEqual([expect.stringMatching(/^configurableTabs .*1/)]);
    expect(broken({ staticTabs: [{ entityId: 'x', scopes: ['personal', 'personal'] }] })).toEqual(['staticTabs.0.scopes items must be unique']);
    expect(broken({ supportsCalling: true })).toEqual([expect.stringMatching(/Unrecognized key/)]);
    expect(broken({ id: 'not-a-guid' })).toEqual(['id must be a GUID']);
  });

  it('its version is the solution version without the fourth part', () => {
    const solution = JSON.parse(readFileSync(join(root, 'config/package-solution.json'), 'utf8')) as { solution: { version: string; id: string } };
    expect(manifest.version).toBe(solution.solution.version.split('.').slice(0, 3).join('.'));
    expect(manifest.id).toBe(solution.solution.id);
  });

  it('each tab opens a web part that declares that Teams host; the admin tabs are named as their web part', () => {
    const tabs = [
      ...(manifest.configurableTabs ?? []).map((tab) => ({ url: tab.configurationUrl, host: 'TeamsTab', name: undefined })),
      ...(manifest.staticTabs ?? []).map((tab) => ({ url: tab.contentUrl ?? '', host: 'TeamsPersonalApp', name: tab.name })),
    ];
    expect(tabs.length).toBeGreaterThan(0);
    for (const tab of tabs) {
      const id = componentIdIn(tab.url);
      const component = components.find((c) => c.manifest.id === id);
      expect(component, `a web part with componentId ${id}`).toBeDefined();
      expect(component?.manifest.supportedHosts, `${component?.manifestPath} supportedHosts`).toContain(tab.host);
      expect(tab.url).toMatch(/^https:\/\/\{teamSiteDomain\}/);
      // A personal app runs on the tenant's root site; a channel tab on the team's own site.
      expect(decodeURIComponent(tab.url)).toContain(tab.host === 'TeamsPersonalApp' ? 'teamshostedapp.aspx?teams&personal&' : '{teamSitePath}/_layouts/15/teamshostedapp.aspx?openPropertyPane=true&teams&');
    }
    const panel = components.find((c) => c.manifest.alias === 'CustomerFinanceWebPart')!;
    expect(componentIdIn(manifest.configurableTabs?.[0]?.configurationUrl ?? ''), 'the channel tab is the customer panel').toBe(panel.manifest.id);
    expect(manifest.staticTabs?.map((tab) => tab.entityId)).toEqual(['my-customers', 'exact-connection', 'import-profiles']);
    for (const tab of manifest.staticTabs?.slice(1) ?? []) {
      const component = components.find((c) => c.manifest.id === componentIdIn(tab.contentUrl ?? ''))!;
      expect(tab.name).toBe(component.manifest.preconfiguredEntries?.[0]?.title.default);
    }
  });

  it('is named for the product, not for one of its web parts', () => {
    const solution = JSON.parse(readFileSync(join(root, 'config/package-solution.json'), 'utf8')) as { solution: { features: Array<{ title: string }> } };
    expect(manifest.name.short).toBe(solution.solution.features[0]!.title);
    expect(manifest.packageName).toBe('ExactCrmConnector');
  });

  it('has a Dutch localization with every tab name, valid against the localization schema', () => {
    const languages = manifest.localizationInfo?.additionalLanguages ?? [];
    expect(languages.map((language) => language.languageTag)).toEqual(['nl-nl']);
    const rawDutch: unknown = JSON.parse(readFileSync(join(root, 'teams', languages[0]!.file), 'utf8'));
    expect(teamsLocalizationProblems(rawDutch)).toEqual([]);
    const dutch = rawDutch as Record<string, string>;
    const tabNames = (manifest.staticTabs ?? []).map((_, index) => dutch[`staticTabs[${index}].name`]);
    expect(tabNames).toEqual(['Mijn klanten', 'Koppeling met Exact Online', 'Importprofielen']);
    // The admin tabs read as their web parts do in Dutch SharePoint.
    for (const [index, tab] of (manifest.staticTabs ?? []).entries()) {
      const title = components.find((c) => c.manifest.id === componentIdIn(tab.contentUrl ?? ''))?.manifest.preconfiguredEntries?.[0]?.title['nl-NL'];
      if (index > 0) expect(tabNames[index]).toBe(title);
    }
    expect(teamsLocalizationProblems({ ...dutch, 'staticTabs[0].nam': 'x' })).toEqual(['staticTabs[0].nam is not a key Teams localizes']);
    expect(teamsLocalizationProblems({ ...dutch, 'description.short': 'x'.repeat(81) })).toEqual([expect.stringMatching(/^description\.short .*80/)]);
  });

  it('zips into TeamsSPFxApp.zip with the manifest, its icons and its localization at the root', () => {
    const files = teamsAppFiles(root);
    expect(files.map((file) => file.name)).toEqual(['manifest.json', manifest.icons.color, manifest.icons.outline, 'nl-nl.json']);
    const zipped = zipEntries(deflatedZip(files));
    expect(zipped.map((entry) => entry.name)).toEqual(files.map((file) => file.name));
    expect(JSON.parse(zipped[0]!.data.toString('utf8'))).toEqual(raw);
  });

  it('refuses to zip a manifest that names a missing icon or is invalid, saying which', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'teams-app-'));
    try {
      mkdirSync(join(scratch, 'teams'));
      for (const name of readdirSync(join(root, 'teams'))) copyFileSync(join(root, 'teams', name), join(scratch, 'teams', name));
      writeFileSync(join(scratch, 'teams/manifest.json'), JSON.stringify({ ...manifest, icons: { ...manifest.icons, color: 'missing.png' } }));
      expect(() => teamsAppFiles(scratch)).toThrow('teams/manifest.json icons.color names missing.png, which is not in teams/');
      writeFileSync(join(scratch, 'teams/manifest.json'), JSON.stringify({ ...manifest, accentColor: 'blue' }));
      expect(() => teamsAppFiles(scratch)).toThrow(/accentColor must be #RRGGBB/);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('its icons are a 192×192 colour PNG and a 32×32 white-on-transparent outline PNG', () => {
    const color = decodePng(readFileSync(join(root, 'teams', manifest.icons.color)), manifest.icons.color);
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = decodePng(readFileSync(join(root, 'teams', manifest.icons.outline)), manifest.icons.outline);
    expect([outline.width, outline.height]).toEqual([32, 32]);
    expect(outline.hasAlpha).toBe(true);
    const offWhite: string[] = [];
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        const [r, g, b, a] = pixelAt(outline, x, y);
        if (a! > 0 && (r !== 255 || g !== 255 || b !== 255)) offWhite.push(`${x},${y}`);
      }
    }
    expect(offWhite, 'outline pixels that are neither transparent nor white').toEqual([]);
  });
});
