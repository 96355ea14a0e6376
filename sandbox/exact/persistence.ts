/**
 * Debounced JSON state under `dataDir/exact/state.json`: OAuth grants and refresh tokens (so a
 * restarted sandbox still honours the gateway's stored refresh token) and data changes. Written
 * atomically (temp file + rename); an unreadable file is set aside and the sandbox reseeds.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { oauthStateSchema } from './oauth';
import { divisionChangesSchema } from './store';

export const savedStateSchema = z.object({
  version: z.literal(1),
  seedDay: z.number(),
  size: z.number().int().positive(),
  oauth: oauthStateSchema,
  divisions: z.record(divisionChangesSchema),
  currentDivision: z.number(),
});
export type SavedState = z.infer<typeof savedStateSchema>;

export class StateFile {
  private readonly file: string;
  private timer: NodeJS.Timeout | undefined;
  private dirty = false;

  public constructor(dataDir: string, private readonly collect: () => SavedState, private readonly delayMs = 200) {
    const folder = join(dataDir, 'exact');
    mkdirSync(folder, { recursive: true });
    this.file = join(folder, 'state.json');
    process.once('exit', () => {
      if (this.dirty) {
        this.flush();
      }
    });
  }

  public load(): SavedState | undefined {
    if (!existsSync(this.file)) {
      return undefined;
    }
    try {
      const parsed = savedStateSchema.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
      if (parsed.success) {
        return parsed.data;
      }
      console.warn(`Exact emulator: ${this.file} does not match the expected shape; reseeding (${parsed.error.issues[0]?.message ?? ''}).`);
    } catch (error) {
      console.warn(`Exact emulator: cannot read ${this.file}; reseeding.`, error);
    }
    renameSync(this.file, `${this.file}.broken-${Date.now()}`);
    return undefined;
  }

  public schedule(): void {
    this.dirty = true;
    if (this.timer) {
      return;
    }
    this.timer = setTimeout(() => this.flush(), this.delayMs);
    this.timer.unref();
  }

  public flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.dirty = false;
    const temp = `${this.file}.tmp`;
    try {
      writeFileSync(temp, JSON.stringify(this.collect()));
      renameSync(temp, this.file);
    } catch (error) {
      // A folder removed under a running sandbox (a reset) must not crash it; the next change retries.
      console.warn(`Exact emulator: cannot write ${this.file}.`, error);
    }
  }
}
