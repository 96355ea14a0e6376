import type { DocumentStore } from '../../src/core/ports';
import { parseProfile, type Profile } from '../../src/core/profile';
import { runRecordSchema, type ProfileStore, type RunRecord, type RunStore } from '../../src/core/records';

/**
 * Simulated crashes: every durable operation (a CRM item written, a document written, a run
 * record saved) ticks the switch; when it is armed with N, the N-th operation completes and then
 * the process "dies" (the call throws), so the caller never learns that it happened.
 */
export class CrashSwitch {
  public operations = 0;
  private armedAt: number | undefined;

  public arm(afterOperations: number): void {
    this.armedAt = this.operations + afterOperations;
  }

  public disarm(): void {
    this.armedAt = undefined;
  }

  public tick(what: string): void {
    this.operations++;
    if (this.armedAt !== undefined && this.operations >= this.armedAt) {
      this.armedAt = undefined;
      throw new InjectedCrash(`injected crash after ${what}`);
    }
  }
}

export class InjectedCrash extends Error {}

export class MemoryDocuments implements DocumentStore {
  public readonly files = new Map<string, string>();
  public writes = 0;

  public constructor(private readonly crash?: CrashSwitch) {}

  public async write(path: string, content: string): Promise<void> {
    this.files.set(path, content);
    this.writes++;
    this.crash?.tick(`document ${path}`);
  }

  public async read(path: string): Promise<string | undefined> {
    return this.files.get(path);
  }

  public async list(folder: string): Promise<string[]> {
    const prefix = folder.endsWith('/') ? folder : `${folder}/`;
    return Array.from(this.files.keys()).filter((p) => p.startsWith(prefix));
  }
}

export class MemoryRunStore implements RunStore {
  public readonly runs = new Map<string, string>();
  public saves = 0;

  public constructor(private readonly crash?: CrashSwitch) {}

  public async save(run: RunRecord): Promise<void> {
    // Stored as JSON and parsed back, like the Details column, so nothing shares references.
    this.runs.set(run.id, JSON.stringify(runRecordSchema.parse(run)));
    this.saves++;
    this.crash?.tick(`run record ${run.id}`);
  }

  public async get(id: string): Promise<RunRecord | undefined> {
    const text = this.runs.get(id);
    return text === undefined ? undefined : runRecordSchema.parse(JSON.parse(text));
  }

  public async list(profileId?: string): Promise<RunRecord[]> {
    const all = Array.from(this.runs.values()).map((t) => runRecordSchema.parse(JSON.parse(t)));
    return profileId === undefined ? all : all.filter((r) => r.profileId === profileId);
  }
}

export class MemoryProfileStore implements ProfileStore {
  public readonly profiles = new Map<string, string>();

  public constructor(initial: Profile[] = []) {
    for (const p of initial) this.profiles.set(p.id, JSON.stringify(p));
  }

  public async list(): Promise<Profile[]> {
    return Array.from(this.profiles.values()).map((t) => parseProfile(JSON.parse(t)));
  }

  public async get(id: string): Promise<Profile | undefined> {
    const text = this.profiles.get(id);
    return text === undefined ? undefined : parseProfile(JSON.parse(text));
  }

  public async save(profile: Profile): Promise<void> {
    this.profiles.set(profile.id, JSON.stringify(profile));
  }

  public async delete(id: string): Promise<void> {
    this.profiles.delete(id);
  }
}
