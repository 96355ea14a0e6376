/**
 * The SPFx components of the solution, read the way the toolchain reads them: every manifest that a
 * bundle in `config/config.json` names. The Teams icon script and the package test both start here,
 * so a new web part needs no change in either.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const guid = /^[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i;

const configSchema = z.object({
  bundles: z.record(
    z.object({
      components: z.array(z.object({ entrypoint: z.string().min(1), manifest: z.string().min(1) })).min(1),
    }),
  ),
});

const localized = z.object({ default: z.string().min(1) }).catchall(z.string());

const manifestSchema = z.object({
  id: z.string().regex(guid, 'is not a GUID'),
  alias: z.string().min(1),
  componentType: z.enum(['WebPart', 'Extension', 'Library', 'AdaptiveCardExtension']),
  extensionType: z.string().optional(),
  supportedHosts: z.array(z.string()).optional(),
  preconfiguredEntries: z.array(z.object({ title: localized, description: localized })).optional(),
});

export type ComponentManifest = z.infer<typeof manifestSchema>;

export interface SolutionComponent {
  bundle: string;
  /** Repository-relative, as `config/config.json` spells it. */
  manifestPath: string;
  manifest: ComponentManifest;
}

/** The hosts for which SharePoint's "Sync to Teams" builds a Teams app (and wants its icons). */
export const teamsHosts: readonly string[] = ['TeamsTab', 'TeamsPersonalApp', 'TeamsMeetingApp'];

export const isTeamsHosted = (manifest: ComponentManifest): boolean => (manifest.supportedHosts ?? []).some((host) => teamsHosts.includes(host));

function readJson(path: string): unknown {
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`${path} is not valid JSON: ${(error as Error).message}`);
  }
}

function parsed<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'} ${issue.message}`).join('; ');
    throw new Error(`${where}: ${issues}`);
  }
  return result.data;
}

export function solutionComponents(root: string): SolutionComponent[] {
  const config = parsed(configSchema, readJson(join(root, 'config/config.json')), 'config/config.json');
  return Object.entries(config.bundles).flatMap(([bundle, { components }]) =>
    components.map(({ manifest: manifestPath }) => {
      const manifest = parsed(manifestSchema, readJson(join(root, manifestPath)), `${manifestPath} (bundle ${bundle})`);
      if (manifest.componentType === 'Extension' && !manifest.extensionType) {
        throw new Error(`${manifestPath} (bundle ${bundle}): extensionType is missing for an Extension`);
      }
      if (manifest.componentType === 'WebPart' && !manifest.preconfiguredEntries?.length) {
        throw new Error(`${manifestPath} (bundle ${bundle}): a WebPart needs at least one preconfiguredEntries item`);
      }
      return { bundle, manifestPath: manifestPath.replace(/^\.\//, ''), manifest };
    }),
  );
}

/** Where `gulp package-solution` takes a component's Teams icons from (its `teams/` folder). */
export const teamsIconFiles = (id: string): { color: string; outline: string } => ({ color: `${id}_color.png`, outline: `${id}_outline.png` });
