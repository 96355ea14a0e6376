/**
 * The Teams app manifest in teams/ (for a customer who sideloads instead of "Sync to Teams"):
 * valid against the Teams manifest schema v1.17, its tabs point at web parts that declare the
 * matching Teams host, its names follow the web part's, and its icons are what Teams asks for
 * (colour 192×192, outline 32×32 white on transparent).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { solutionComponents } from '../../scripts/solutionComponents';
import { decodePng, pixelAt } from '../support/png';
import { teamsManifestProblems, teamsManifestSchema, type TeamsManifest } from '../support/teamsManifestSchema';

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

  it('each tab opens a web part that declares that Teams host, and the names follow the web part', () => {
    const tabs = [
      ...(manifest.configurableTabs ?? []).map((tab) => ({ url: tab.configurationUrl, host: 'TeamsTab' })),
      ...(manifest.staticTabs ?? []).map((tab) => ({ url: tab.contentUrl ?? '', host: 'TeamsPersonalApp' })),
    ];
    expect(tabs.length).toBeGreaterThan(0);
    for (const tab of tabs) {
      const id = componentIdIn(tab.url);
      const component = components.find((c) => c.manifest.id === id);
      expect(component, `a web part with componentId ${id}`).toBeDefined();
      expect(component?.manifest.supportedHosts, `${component?.manifestPath} supportedHosts`).toContain(tab.host);
      expect(tab.url).toMatch(/^https:\/\/\{teamSiteDomain\}/);
    }
    const first = components.find((c) => c.manifest.id === componentIdIn(tabs[0]!.url))!;
    expect(manifest.name.short).toBe(first.manifest.preconfiguredEntries?.[0]?.title.default);
    expect(manifest.description.short).toBe(first.manifest.preconfiguredEntries?.[0]?.description.default);
    expect(manifest.packageName).toBe(first.manifest.alias);
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
