import {
  closeSync, existsSync, fdatasyncSync, fstatSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, truncateSync, writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { parseLog, PendingChanges, replay } from './siteLog';
import type { Site } from './site';
import { siteStateSchema, type SiteState } from './state';

/** A snapshot names the first log generation that is not in it yet. */
const snapshotSchema = siteStateSchema.extend({ logGeneration: z.number().int().nonnegative().default(0) });

const logName = (generation: number): string => `log-${generation}.jsonl`;
const logGenerationOf = (name: string): number | undefined => {
  const match = /^log-(\d+)\.jsonl$/.exec(name);
  return match ? Number(match[1]) : undefined;
};

/** The log is folded into a new snapshot once it outgrows the snapshot and this floor. */
export const COMPACT_BYTES = 4 * 1024 * 1024;

function writeAll(fd: number, bytes: Buffer): void {
  for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at);
}

/**
 * The SharePoint stand-in keeps its promises: each request's writes are appended to a log and
 * flushed to disk (fdatasync) before the response goes out, so a SIGKILL right after an answer
 * loses nothing; the log is folded into `site.json` (written to a temp file, synced, renamed)
 * once it outgrows it. On start the snapshot is read and the logs after it replayed.
 */
export class SitePersistence {
  readonly changes = new PendingChanges(() => queueMicrotask(() => this.trySave()));
  private site: Site | undefined;
  private generation = 0;
  private fd: number | undefined;
  private hasSnapshot = false;
  private snapshotBytes = 0;
  private logBytes = 0;
  /** A failed append may have left half a line: the next save writes a whole snapshot instead. */
  private logBroken = false;

  constructor(
    private readonly folder: string,
    private readonly compactBytes = COMPACT_BYTES,
  ) {}

  get file(): string {
    return join(this.folder, 'site.json');
  }

  /** The persisted site, snapshot plus log, or undefined when there is none yet. */
  load(): SiteState | undefined {
    if (!existsSync(this.file)) {
      this.removeLogs(Infinity);
      return undefined;
    }
    const text = readFileSync(this.file, 'utf8');
    const parsed = snapshotSchema.safeParse(JSON.parse(text));
    if (!parsed.success) {
      throw new Error(`SharePoint emulator data in ${this.file} is not valid: ${parsed.error.message}`);
    }
    const { logGeneration, ...state } = parsed.data;
    this.hasSnapshot = true;
    this.snapshotBytes = text.length;
    this.generation = logGeneration;
    this.removeLogs(logGeneration);
    for (const generation of this.logGenerations().filter((g) => g >= logGeneration)) {
      const file = join(this.folder, logName(generation));
      const bytes = readFileSync(file);
      const { lines, validBytes } = parseLog(bytes, file);
      replay(state, lines);
      // Appends go after the last whole line, not after a half-written one.
      if (validBytes < bytes.length) truncateSync(file, validBytes);
      this.generation = generation;
      this.logBytes = validBytes;
    }
    return state;
  }

  /** Binds the site whose changes this saves (the site is built from what `load` returned). */
  attach(site: Site): void {
    this.site = site;
  }

  /**
   * Writes what changed since the last save, synchronously. Called before each response is sent;
   * a failure throws, so the caller answers 500 instead of acknowledging a write it did not keep.
   */
  save(): void {
    if (this.changes.empty || !this.site) return;
    // A data folder deleted under a running sandbox leaves the open log unlinked: start over in a new one.
    if (!this.hasSnapshot || this.logBroken || (this.fd !== undefined && fstatSync(this.fd).nlink === 0)) {
      this.compact();
      return;
    }
    const site = this.site;
    const line = Buffer.from(`${JSON.stringify(this.changes.line(site.state, (list, id) => site.itemIndex(list).get(id)))}\n`, 'utf8');
    try {
      this.fd ??= this.openLog();
      writeAll(this.fd, line);
      fdatasyncSync(this.fd);
    } catch (error) {
      this.logBroken = true;
      throw error;
    }
    this.changes.clear();
    this.logBytes += line.length;
    if (this.logBytes > Math.max(this.compactBytes, this.snapshotBytes)) this.compact();
  }

  /** Folds the log into a new snapshot now (tests read `site.json` after this). */
  compact(): void {
    if (!this.site) return;
    const generation = this.hasSnapshot ? this.generation + 1 : 0;
    const text = Buffer.from(JSON.stringify({ ...this.site.state, logGeneration: generation }), 'utf8');
    mkdirSync(this.folder, { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeAll(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
    this.syncFolder();
    this.closeLog();
    this.changes.clear();
    this.logBroken = false;
    this.hasSnapshot = true;
    this.generation = generation;
    this.snapshotBytes = text.length;
    this.logBytes = 0;
    this.removeLogs(generation);
  }

  /** Deletes everything on disk; nothing is written again until the next change. */
  remove(): void {
    this.closeLog();
    this.changes.clear();
    rmSync(this.folder, { recursive: true, force: true });
    this.logBroken = false;
    this.hasSnapshot = false;
    this.generation = 0;
    this.snapshotBytes = 0;
    this.logBytes = 0;
  }

  /**
   * `save`, reporting a failure instead of throwing: for changes made outside a request (control
   * knobs), saved at the end of the tick, and at exit.
   */
  trySave(): void {
    try {
      this.save();
    } catch (error) {
      console.error(`SharePoint emulator could not save to ${this.folder}:`, error);
    }
  }

  private openLog(): number {
    mkdirSync(this.folder, { recursive: true });
    const fd = openSync(join(this.folder, logName(this.generation)), 'a');
    // The new log's name must be on disk too, or a power cut could lose the file with its lines.
    this.syncFolder();
    return fd;
  }

  private closeLog(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }

  private syncFolder(): void {
    const fd = openSync(this.folder, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  private logGenerations(): number[] {
    if (!existsSync(this.folder)) return [];
    return readdirSync(this.folder).map(logGenerationOf).filter((g): g is number => g !== undefined).sort((a, b) => a - b);
  }

  /** Logs before `generation` are in the snapshot already. */
  private removeLogs(before: number): void {
    for (const generation of this.logGenerations()) {
      if (generation < before) rmSync(join(this.folder, logName(generation)), { force: true });
    }
  }
}
