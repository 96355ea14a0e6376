import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { requiredScope } from '../../gateway/auth';
import { sandboxApp } from '../../sandbox/exact';
import { isTeamsHosted, solutionComponents, teamsIconFiles, type SolutionComponent } from '../../scripts/solutionComponents';
import { teamsAppFiles, teamsAppPackageName } from '../../scripts/teamsAppPackage';
import { brandColor } from '../../scripts/teamsIcons';
import { teamsManifestSchema } from '../../scripts/teamsManifestSchema';
import { zipEntries } from '../../scripts/zip';
import type { IAdminMenuApplicationCustomizerProperties } from '../../src/extensions/adminMenu/AdminMenuApplicationCustomizer';
import { decodePng, pixelAt, type DecodedPng } from '../support/png';
import { builtSolutionPackage, findSecrets, xmlElements, type BuiltPackage } from '../support/solutionPackage';

/**
 * What `npm run package` ships: sharepoint/solution/*.sppkg opened as the zip it is. Builds the
 * package first when it is missing or older than its sources (see builtSolutionPackage); a failed
 * build fails this file.
 */
const root = resolve(__dirname, '../..');
const solutionConfig = z
  .object({
    solution: z.object({ skipFeatureDeployment: z.boolean().optional(), features: z.array(z.object({ id: z.string() })).min(1) }),
    paths: z.object({ zippedPackage: z.string() }),
  })
  .parse(JSON.parse(readFileSync(join(root, 'config/package-solution.json'), 'utf8')));
const components = solutionComponents(root);
const webParts = components.filter(({ manifest }) => manifest.componentType === 'WebPart');
const applicationCustomizers = components.filter(({ manifest }) => manifest.extensionType === 'ApplicationCustomizer');
const teamsHosted = components.filter(({ manifest }) => isTeamsHosted(manifest));
const featureId = solutionConfig.solution.features[0].id;

/** Every key of the customizer's properties, checked by the compiler against its interface. */
const adminMenuProperties = { gatewayUrl: '', gatewayResource: '', crmSiteUrl: '', exactConnectionPage: '', importProfilesPage: '' } satisfies Record<
  keyof Required<IAdminMenuApplicationCustomizerProperties>,
  string
>;

let built: BuiltPackage;
const text = (entry: string): string => {
  const data = built.entries.get(entry);
  if (!data) throw new Error(`${solutionConfig.paths.zippedPackage} has no entry ${entry}; it has ${[...built.entries.keys()].join(', ')}`);
  return data.toString('utf8');
};

/** The parts the feature deploys (its relationships' targets). */
const featureParts = (): string[] => xmlElements(text(`_rels/feature_${featureId}.xml.rels`), 'Relationship').map(({ Target }) => Target);

/** The packaged ClientSideComponent element of a component, with its manifest as SharePoint reads it. */
function packagedComponent({ manifest, manifestPath }: SolutionComponent): { entry: string; element: Record<string, string>; manifest: Record<string, unknown> } {
  for (const [entry, data] of built.entries) {
    if (!entry.endsWith('.xml')) continue;
    const element = xmlElements(data.toString('utf8'), 'ClientSideComponent').find(({ Id }) => Id === manifest.id);
    if (element) return { entry, element, manifest: JSON.parse(element.ComponentManifest) as Record<string, unknown> };
  }
  throw new Error(`${manifestPath} (${manifest.alias}, ${manifest.id}) is not in ${solutionConfig.paths.zippedPackage}`);
}

const loaderSchema = z.object({
  loaderConfig: z.object({ entryModuleId: z.string(), scriptResources: z.record(z.object({ type: z.string(), path: z.string().optional() })) }),
});

describe('solution package (npm run package)', () => {
  beforeAll(async () => {
    built = await builtSolutionPackage(root, solutionConfig.paths.zippedPackage);
  }, 480_000);

  it('is built from config/config.json, which names a web part and the Administration menu', () => {
    expect(built.path).toBe(join(root, 'sharepoint/solution/exact-crm-connector.sppkg'));
    expect(webParts.length).toBeGreaterThan(0);
    expect(applicationCustomizers.map(({ manifest }) => manifest.alias)).toContain('AdminMenuApplicationCustomizer');
  });

  it.each(components.map((component) => [component.manifest.alias, component] as const))('holds %s with its bundle, in the feature', (_, component) => {
    const { entry, element, manifest } = packagedComponent(component);
    expect(manifest).toMatchObject({ id: component.manifest.id, alias: component.manifest.alias, componentType: component.manifest.componentType });
    expect(element.Type).toBe(component.manifest.componentType);
    expect(manifest.extensionType).toBe(component.manifest.extensionType);
    expect(featureParts()).toContain(`/${entry}`);
    const { loaderConfig } = loaderSchema.parse(manifest);
    const script = loaderConfig.scriptResources[loaderConfig.entryModuleId];
    expect(script?.type, `${component.manifest.alias}: entry module ${loaderConfig.entryModuleId}`).toBe('path');
    expect(built.entries.has(`ClientSideAssets/${script.path}`), `ClientSideAssets/${script.path}`).toBe(true);
  });

  it.each(webParts.map((component) => [component.manifest.alias, component] as const))('offers %s in SharePoint pages and as a Teams tab', (_, component) => {
    expect(packagedComponent(component).manifest.supportedHosts).toEqual(expect.arrayContaining(['SharePointWebPart', 'TeamsTab']));
  });

  it("asks for the gateway's user_impersonation scope and can be deployed tenant wide", () => {
    const [app] = xmlElements(text('AppManifest.xml'), 'App');
    expect(app.SkipFeatureDeployment).toBe('true');
    expect(solutionConfig.solution.skipFeatureDeployment).toBe(true);
    // The gateway's Entra app is registered under this display name (gateway/README.md, step 3).
    expect(xmlElements(text('AppManifest.xml'), 'WebApiPermissionRequest')).toEqual([{ ResourceId: 'Exact CRM Connector Gateway', Scope: requiredScope }]);
  });

  it.each(teamsHosted.map((component) => [component.manifest.alias, component] as const))('carries the Teams icons of %s from teams/', (_, { manifest }) => {
    const files = teamsIconFiles(manifest.id);
    const icon = (file: string): DecodedPng => {
      const packaged = built.entries.get(`ClientSideAssets/${file}`);
      expect(packaged, `ClientSideAssets/${file} in the package`).toBeDefined();
      expect(packaged?.equals(readFileSync(join(root, 'teams', file))), `ClientSideAssets/${file} is teams/${file}`).toBe(true);
      return decodePng(packaged ?? Buffer.alloc(0), file);
    };
    const pixels = (image: DecodedPng): Array<[number, number, number, number]> =>
      Array.from({ length: image.width * image.height }, (_unused, p) => pixelAt(image, p % image.width, Math.floor(p / image.width)));

    const color = icon(files.color);
    expect([color.width, color.height]).toEqual([192, 192]);
    const brand = [1, 3, 5].map((i) => parseInt(brandColor.slice(i, i + 2), 16));
    const colorPixels = pixels(color);
    expect(colorPixels.every(([, , , a]) => a === 255), 'colour icon is opaque').toBe(true);
    // Full bleed: the edges are the brand colour; the mark is white and takes a real share of the middle.
    for (const [x, y] of [[0, 0], [191, 0], [0, 191], [191, 191], [96, 2]]) expect(pixelAt(color, x, y).slice(0, 3), `colour icon at ${x},${y}`).toEqual(brand);
    const white = colorPixels.filter(([r, g, b]) => r === 255 && g === 255 && b === 255).length / colorPixels.length;
    expect(white).toBeGreaterThan(0.1);
    expect(white).toBeLessThan(0.5);

    const outline = icon(files.outline);
    expect([outline.width, outline.height, outline.hasAlpha]).toEqual([32, 32, true]);
    const outlinePixels = pixels(outline);
    // Teams: white on transparent, nothing else.
    expect(outlinePixels.filter(([r, g, b, a]) => a > 0 && (r !== 255 || g !== 255 || b !== 255))).toEqual([]);
    for (const [x, y] of [[0, 0], [31, 0], [0, 31], [31, 31]]) expect(pixelAt(outline, x, y)[3], `outline icon at ${x},${y}`).toBe(0);
    const ink = outlinePixels.filter(([, , , a]) => a >= 128).length / outlinePixels.length;
    expect(ink).toBeGreaterThan(0.15);
    expect(ink).toBeLessThan(0.6);
  });

  it('carries the Teams app package (TeamsSPFxApp.zip) that "Sync to Teams" deploys, built from teams/manifest.json', () => {
    const packaged = built.entries.get(`ClientSideAssets/${teamsAppPackageName}`);
    expect(packaged, `ClientSideAssets/${teamsAppPackageName} in the package`).toBeDefined();
    const inside = zipEntries(packaged ?? Buffer.alloc(0), teamsAppPackageName);
    const expected = teamsAppFiles(root);
    expect(inside.map(({ name }) => name)).toEqual(expected.map(({ name }) => name));
    for (const [index, entry] of inside.entries()) expect(entry.data.equals(expected[index]!.data), `${entry.name} is teams/${entry.name}`).toBe(true);
    const manifest = teamsManifestSchema.parse(JSON.parse(inside[0]!.data.toString('utf8')));
    // Every tab names a component that is in this package.
    const tabComponents = [manifest.configurableTabs?.[0]?.configurationUrl, ...(manifest.staticTabs ?? []).map((tab) => tab.contentUrl)].map(
      (url) => /componentId=([0-9a-f-]{36})/i.exec(decodeURIComponent(url ?? ''))?.[1],
    );
    for (const id of tabComponents) expect(webParts.map(({ manifest: m }) => m.id)).toContain(id);
  });

  it.each(applicationCustomizers.map((component) => [component.manifest.alias, component] as const))(
    'registers %s for the tenant (ClientSideInstance.xml) and for a site the app is added to (elements.xml)',
    (_, { manifest }) => {
      const tenant = xmlElements(text(`${featureId}/ClientSideInstance.xml`), 'ClientSideComponentInstance').filter(({ ComponentId }) => ComponentId === manifest.id);
      const site = xmlElements(text(`${featureId}/elements.xml`), 'CustomAction').filter(({ ClientSideComponentId }) => ClientSideComponentId === manifest.id);
      expect(tenant.map(({ Location }) => Location)).toEqual(['ClientSideExtension.ApplicationCustomizer']);
      expect(site.map(({ Location }) => Location)).toEqual(['ClientSideExtension.ApplicationCustomizer']);
      if (manifest.alias !== 'AdminMenuApplicationCustomizer') return;
      // Every property the customizer reads, and no other: a misspelt key would be silently ignored.
      const properties = z.object(Object.fromEntries(Object.keys(adminMenuProperties).map((key) => [key, z.string()]))).strict();
      const [tenantProperties, siteProperties] = [tenant[0].Properties, site[0].ClientSideComponentProperties].map((json) => properties.parse(JSON.parse(json)));
      expect(siteProperties).toEqual(tenantProperties);
      expect(tenantProperties).toMatchObject({ exactConnectionPage: 'SitePages/Exact-connection.aspx', importProfilesPage: 'SitePages/Import-profiles.aspx' });
      expect(featureParts()).toEqual(expect.arrayContaining([`/${featureId}/elements.xml`, `/${featureId}/ClientSideInstance.xml`]));
    },
  );

  it('contains no secret in any entry', () => {
    const devKeyFile = join(resolve(process.env.SANDBOX_DATA_DIR ?? join(root, 'sandbox-data')), 'gateway-dev-encryption-key');
    const literals = [
      { what: 'the sandbox Exact client secret', value: sandboxApp.clientSecret },
      { what: "the sandbox gateway's dev encryption key", value: existsSync(devKeyFile) ? readFileSync(devKeyFile, 'utf8').trim() : '' },
      ...['GATEWAY_EXACT_CLIENT_SECRET', 'GATEWAY_ENCRYPTION_KEY'].map((name) => ({ what: `$${name}`, value: process.env[name] ?? '' })),
    ];
    expect(built.entries.size).toBeGreaterThan(10);
    const findings = [...built.entries].flatMap(([entry, data]) => findSecrets(entry, data.toString('latin1'), literals));
    expect(findings).toEqual([]);
  });
});

describe('secret scan (findSecrets)', () => {
  const literals = [{ what: 'the sandbox Exact client secret', value: sandboxApp.clientSecret }];
  const found = (text: string): string[] => findSecrets('x.js', text, literals).map(({ what }) => what);

  it('finds each kind of secret', () => {
    expect(found(`var s="${sandboxApp.clientSecret}"`)).toContain('the sandbox Exact client secret');
    expect(found('-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----')).toEqual(['a PEM block (private key or certificate)']);
    expect(found('body:"grant_type=refresh_token&client_secret=Zx81kQ&refresh_token=r"')).toEqual(['client_secret= with a value']);
    expect(found('{"clientSecret":"Zx81kQ"}')).toEqual(['a client secret property with a value']);
    expect(found("const o={client_secret:'Zx81kQ'}")).toEqual(['a client secret property with a value']);
  });

  it('leaves code that only names a secret alone', () => {
    expect(found('e="client_secret="+encodeURIComponent(t)')).toEqual([]);
    expect(found('u=`client_secret=${t}`;o={clientSecret:t,clientSecretLabel:"Client secret"};x={"clientSecret":""}')).toEqual([]);
    expect(found('if(s.startsWith("-----BEGIN "))throw Error("PEM")')).toEqual([]);
  });
});
