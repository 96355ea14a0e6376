import { checkJson, formatZodIssues, zodIssues } from '../../src/sync/profile/issues';
import { ProfileConflictError, type DocumentStore, type ProfileEntry, type ProfileStore, type RunDocument, type RunJournal, type RunningRun, type ValidProfileEntry } from '../../src/sync/ports';
import { profileSchema, ProfileError, type Profile } from '../../src/sync/profile/profile';
import { runRecordSchema, type RunRecord } from '../../src/sync/journal/records';

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

  public async writeMany(documents: { path: string; content: string }[]): Promise<void> {
    for (const doc of documents) await this.write(doc.path, doc.content);
  }

  public async read(path: string): Promise<string | undefined> {
    return this.files.get(path);
  }

  public async readMany(paths: string[]): Promise<(string | undefined)[]> {
    return paths.map((path) => this.files.get(path));
  }

  public async list(folder: string): Promise<string[]> {
    const prefix = folder.endsWith('/') ? folder : `${folder}/`;
    return Array.from(this.files.keys()).filter((p) => p.startsWith(prefix));
  }
}

/**
 * The same capability set as the SharePoint journal: `begin` and `finish` are its parts one after
 * another, each a durable operation of its own, so a crash leaves a prefix of them as SharePoint's
 * in-order `$batch` does.
 */
export class MemoryRunJournal implements RunJournal {
  public readonly runs = new Map<string, string>();
  public saves = 0;

  /** `documents`: the engine's own store, so the log and state the journal writes are where the engine reads them. */
  public constructor(
    private readonly crash: CrashSwitch | undefined,
    private readonly documents: DocumentStore,
  ) {}

  public async begin(run: RunRecord, documents: RunDocument[]): Promise<RunningRun[]> {
    await this.save(run);
    const running = (await this.listRunning(run.profileId)).map((r) => ({ id: r.id, mode: r.mode, startedBy: r.startedBy, startedAt: r.startedAt }));
    await this.documents.writeMany(documents);
    return running;
  }

  public async finish(run: RunRecord, documents: RunDocument[]): Promise<void> {
    await this.documents.writeMany(documents);
    await this.save(run);
  }

  public async listRunning(profileId: string, except?: string): Promise<RunRecord[]> {
    // Map order is first-save order, which is the order a rival check needs.
    return (await this.list(profileId)).filter((r) => r.status === 'Running' && r.id !== except);
  }

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

/**
 * Profiles as JSON texts (tests may store a broken one directly in `profiles`), each with a
 * version that every save bumps; the version is the ETag, as in the SharePoint store.
 */
export class MemoryProfileStore implements ProfileStore {
  public readonly profiles = new Map<string, string>();
  private readonly versions = new Map<string, number>();

  public constructor(initial: Profile[] = []) {
    for (const p of initial) this.profiles.set(p.id, JSON.stringify(p));
  }

  public async list(): Promise<ProfileEntry[]> {
    return Array.from(this.profiles.keys()).map((id) => this.entry(id));
  }

  public async get(id: string): Promise<ProfileEntry | undefined> {
    return this.profiles.has(id) ? this.entry(id) : undefined;
  }

  public async save(input: Profile, options: { etag?: string } = {}): Promise<ValidProfileEntry> {
    const parsed = profileSchema.safeParse(input);
    if (!parsed.success) throw new ProfileError(input.title, zodIssues(parsed.error));
    const profile = parsed.data;
    const stored = this.profiles.has(profile.id);
    if (options.etag === undefined && stored) throw new ProfileConflictError(profile.id, 'exists', profile.title);
    if (options.etag !== undefined && !stored) throw new ProfileConflictError(profile.id, 'deleted', profile.title);
    if (options.etag !== undefined && options.etag !== this.etag(profile.id)) throw new ProfileConflictError(profile.id, 'changed', profile.title);
    this.profiles.set(profile.id, JSON.stringify(profile));
    this.versions.set(profile.id, (this.versions.get(profile.id) ?? 1) + (stored ? 1 : 0));
    return { valid: true, id: profile.id, title: profile.title, etag: this.etag(profile.id), profile };
  }

  public async delete(id: string): Promise<void> {
    this.profiles.delete(id);
    this.versions.delete(id);
  }

  private etag(id: string): string {
    return `"${this.versions.get(id) ?? 1}"`;
  }

  private entry(id: string): ProfileEntry {
    const text = this.profiles.get(id) ?? '';
    const etag = this.etag(id);
    const checked = checkJson(profileSchema, text);
    if (checked.ok) return { valid: true, id, title: checked.value.title, etag, profile: checked.value };
    const title = titleIn(text);
    return { valid: false, id, title, etag, issues: checked.issues, message: formatZodIssues(checked.issues, { record: `Profile "${title || id}"` }), definition: text };
  }
}

function titleIn(text: string): string {
  try {
    const json: unknown = JSON.parse(text);
    return typeof json === 'object' && json !== null && typeof (json as { title?: unknown }).title === 'string' ? (json as { title: string }).title : '';
  } catch {
    return '';
  }
}
