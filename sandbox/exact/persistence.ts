/**
 * JSON state under `dataDir/exact/state.json`: OAuth grants and refresh tokens (so a restarted
 * sandbox still honours the gateway's stored refresh token) and data changes. Saved before the
 * answer that reports the change goes out (temp file, fsync, rename), so a SIGKILL right after a
 * token refresh or a write does not take back what was answered; an unreadable file is set aside
 * and the sandbox reseeds. The state is only what changed since the seed (kilobytes), so one
 * whole-file save per changing request is cheap; the SharePoint stand-in, with megabytes, logs.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
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
  private readonly folder: string;
  private readonly file: string;
  private dirty = false;

  public constructor(dataDir: string, private readonly collect: () => SavedState) {
    this.folder = join(dataDir, 'exact');
    mkdirSync(this.folder, { recursive: true });
    this.file = join(this.folder, 'state.json');
    process.once('exit', () => this.flush());
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

  /**
   * Marks the state changed. The request handler saves before it answers; a change made outside a
   * request (control knobs) is saved at the end of the tick, still before any later answer.
   */
  public schedule(): void {
    if (this.dirty) {
      return;
    }
    this.dirty = true;
    queueMicrotask(() => this.flush());
  }

  /** Saves now if anything changed; throws when it cannot, so the caller does not acknowledge. */
  public save(): void {
    if (!this.dirty) {
      return;
    }
    // A folder removed under a running sandbox (a reset) is made again.
    mkdirSync(this.folder, { recursive: true });
    const temp = `${this.file}.tmp`;
    const fd = openSync(temp, 'w');
    try {
      const bytes = Buffer.from(JSON.stringify(this.collect()), 'utf8');
      for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, this.file);
    this.dirty = false;
  }

  /** Saves now if anything changed; a failure is reported, not thrown (the next change retries). */
  public flush(): void {
    try {
      this.save();
    } catch (error) {
      console.warn(`Exact emulator: cannot write ${this.file}.`, error);
    }
  }
}
