/**
 * Builds `teams/TeamsSPFxApp.zip`, the developer-provided Teams app package: SharePoint's "Sync to
 * Teams" deploys it instead of generating one manifest from a single web part (which would give
 * one tab of the three and the wrong name). `gulp package-solution` copies everything in `teams/`
 * into the .sppkg's ClientSideAssets, so gulpfile.js runs this first.
 *
 * The zip holds the contents of teams/ that the manifest names, at its root (a zipped folder is not
 * a valid Teams package): manifest.json, its two icons and its localization files. Each is checked
 * first; a problem names the file and the field, and no zip is written.
 *
 *   npx tsx scripts/teamsAppPackage.ts
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { teamsLocalizationProblems, teamsManifestProblems, teamsManifestSchema } from './teamsManifestSchema';
import { deflatedZip, type ZipEntry } from './zip';

export const teamsAppPackageName = 'TeamsSPFxApp.zip';

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (error) {
    throw new Error(`${path} is not valid JSON: ${(error as Error).message}`);
  }
}

/** The files of the Teams app package, in the order they are zipped (manifest first). */
export function teamsAppFiles(root: string): ZipEntry[] {
  const folder = join(root, 'teams');
  const manifestPath = join(folder, 'manifest.json');
  const raw = readJson(manifestPath);
  const problems = teamsManifestProblems(raw);
  if (problems.length > 0) throw new Error(`teams/manifest.json is not a valid Teams app manifest:\n  ${problems.join('\n  ')}`);
  const manifest = teamsManifestSchema.parse(raw);
  const files: ZipEntry[] = [{ name: 'manifest.json', data: readFileSync(manifestPath) }];
  const add = (name: string, field: string): void => {
    const path = join(folder, name);
    if (!existsSync(path)) throw new Error(`teams/manifest.json ${field} names ${name}, which is not in teams/`);
    files.push({ name, data: readFileSync(path) });
  };
  add(manifest.icons.color, 'icons.color');
  add(manifest.icons.outline, 'icons.outline');
  for (const [index, language] of (manifest.localizationInfo?.additionalLanguages ?? []).entries()) {
    add(language.file, `localizationInfo.additionalLanguages.${index}.file`);
    const localizationProblems = teamsLocalizationProblems(readJson(join(folder, language.file)));
    if (localizationProblems.length > 0) throw new Error(`teams/${language.file} is not a valid Teams localization file:\n  ${localizationProblems.join('\n  ')}`);
  }
  return files;
}

/** Writes teams/TeamsSPFxApp.zip and returns its path. */
export function writeTeamsAppPackage(root: string): string {
  const path = join(root, 'teams', teamsAppPackageName);
  writeFileSync(path, deflatedZip(teamsAppFiles(root)));
  return path;
}

if (require.main === module) {
  try {
    console.log(`Wrote ${writeTeamsAppPackage(resolve(__dirname, '..'))}`);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
