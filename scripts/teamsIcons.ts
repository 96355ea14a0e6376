/**
 * Draws the Teams app icons for every component with a Teams host (see solutionComponents.ts) into
 * `teams/`, where `gulp package-solution` picks them up: `{id}_color.png` (192×192, the mark in
 * white on a full-bleed brand background) and `{id}_outline.png` (32×32, white on transparent, as
 * Teams requires). The mark is a ledger page with a plug: the CRM's records, connected.
 *
 *   npx tsx scripts/teamsIcons.ts          write the icons
 *   npx tsx scripts/teamsIcons.ts --check  fail if teams/ differs from what this draws
 *
 * Needs ImageMagick 6 (`convert`, Debian package `imagemagick`). The output is byte-for-byte the same
 * on every run: no time chunks, no metadata.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isTeamsHosted, solutionComponents, teamsIconFiles } from './solutionComponents';

/** themePrimary of src/ui/theme.ts, so the Teams app matches the web parts. */
export const brandColor = '#0f6cbd';

/**
 * The mark on a 32-unit grid in ImageMagick draw primitives: white is ink, black cuts out. Whole
 * units keep the 32 px outline icon on pixel edges. The outline icon draws the page as a frame with
 * white rows; the colour icon fills the page and cuts the rows out of it.
 */
const plug = 'fill white rectangle 18,15 21,17 roundrectangle 21,11 26,21 1,1 rectangle 26,13 29,15 rectangle 26,17 29,19';
const rows = 'rectangle 6,10 14,12 rectangle 6,15 14,17 rectangle 6,20 11,22';
const outlineMark = `fill white roundrectangle 2,4 18,28 2,2 fill black roundrectangle 4,6 16,26 1,1 fill white ${rows} ${plug}`;
const colorMark = `fill white roundrectangle 2,4 18,28 2,2 fill black ${rows} ${plug}`;

/** PNG without tIME/date text chunks or other metadata, so reruns are byte-identical. */
const reproducible = ['-strip', '-define', 'png:exclude-chunks=date,time'];

function convert(args: string[]): void {
  execFileSync('convert', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

function drawColor(file: string, work: string): void {
  const mask = join(work, 'color-mask.png');
  // The mark takes the middle 128 px: Teams crops colour icons towards a circle and a rounded square.
  convert(['-size', '128x128', 'xc:black', '-draw', `stroke none scale 4,4 ${colorMark}`, '-background', 'black', '-gravity', 'center', '-extent', '192x192', mask]);
  convert(['-size', '192x192', `xc:${brandColor}`, '-size', '192x192', 'xc:white', mask, '-composite', '-alpha', 'off', ...reproducible, `PNG24:${file}`]);
}

function drawOutline(file: string, work: string): void {
  const mask = join(work, 'outline-mask.png');
  // Drawn at 8× and box-filtered down: edges on the grid stay sharp, the rounded corners get smooth alpha.
  convert(['-size', '256x256', 'xc:black', '-draw', `stroke none scale 8,8 ${outlineMark}`, '-filter', 'box', '-resize', '32x32', mask]);
  convert(['-size', '32x32', 'xc:white', mask, '-alpha', 'off', '-compose', 'CopyOpacity', '-composite', ...reproducible, `PNG32:${file}`]);
}

/** Writes the icons of every Teams-hosted component into `dir`; returns the file names. */
export function drawTeamsIcons(root: string, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'teams-icons-'));
  try {
    return solutionComponents(root)
      .filter(({ manifest }) => isTeamsHosted(manifest))
      .flatMap(({ manifest }) => {
        const { color, outline } = teamsIconFiles(manifest.id);
        drawColor(join(dir, color), work);
        drawOutline(join(dir, outline), work);
        return [color, outline];
      });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function main(): void {
  const root = resolve(__dirname, '..');
  const teamsDir = join(root, 'teams');
  const iconName = /_(color|outline)\.png$/;
  if (process.argv.includes('--check')) {
    const fresh = mkdtempSync(join(tmpdir(), 'teams-icons-check-'));
    try {
      const expected = drawTeamsIcons(root, fresh);
      const present = existsSync(teamsDir) ? readdirSync(teamsDir).filter((name) => iconName.test(name)) : [];
      const problems = [
        ...expected.filter((name) => !present.includes(name)).map((name) => `teams/${name} is missing`),
        ...present.filter((name) => !expected.includes(name)).map((name) => `teams/${name} belongs to no Teams-hosted component`),
        ...expected.filter((name) => present.includes(name) && !readFileSync(join(teamsDir, name)).equals(readFileSync(join(fresh, name)))).map((name) => `teams/${name} differs from what the script draws`),
      ];
      if (problems.length) {
        console.error(`${problems.join('\n')}\nRun: npx tsx scripts/teamsIcons.ts`);
        process.exit(1);
      }
      console.log(`teams/ is up to date (${expected.length} icons)`);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
    return;
  }
  const written = drawTeamsIcons(root, teamsDir);
  for (const stale of readdirSync(teamsDir).filter((name) => iconName.test(name) && !written.includes(name))) {
    rmSync(join(teamsDir, stale));
    console.log(`removed teams/${stale} (no Teams-hosted component has that id)`);
  }
  console.log(written.map((name) => `teams/${name}`).join('\n'));
}

if (require.main === module) main();
