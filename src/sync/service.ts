import type { Clock } from './clock';
import { ReviewService } from './journal/review';
import { openTarget } from './read/prepare';
import { defaultProfiles, type ProfileLanguage } from './profile/defaults';
import { masterDefaultProfile, type MasterSourceId } from './profile/masterDefaults';
import { checkProfile, parseProfile, ProfileError } from './profile/profile';
import type { Profile, ProfileProblem } from './profile/profile';
import type { SyncEngine } from './run/engine';
import { ProfileConflictError } from './ports';
import type { CrmFieldInfo, CrmTarget, DocumentStore, ExactEntityInfo, ExactRecordSource, ProfileEntry, ProfileStore, RunJournal, ValidProfileEntry } from './ports';

/** The engine's runs as the page starts and reads them; the rest of the engine stays behind the service. */
/**
 * Lists the CRM creates when a profile first targets them (master data: Items, Projects, …), with
 * the lists their lookups need. Implemented over SharePoint by src/crm/masterProvision.ts.
 */
export interface OnDemandLists {
  knows(title: string): boolean;
  ensure(title: string): Promise<unknown>;
}

export type ImportRuns = Pick<SyncEngine, 'preview' | 'run' | 'resume' | 'abandon' | 'stop' | 'undo' | 'readLog' | 'exportCsv' | 'listRuns' | 'unfinishedRuns'>;

/**
 * The import-profiles page's one door into the engine: profiles, runs, the review list, and
 * what the editor offers (CRM columns, Exact entities). Over the ports and the engine only, so the
 * page never opens a CRM list or reads Exact itself.
 */
export class ImportProfilesService {
  public readonly profiles: ProfileService;
  public readonly runs: ImportRuns;
  public readonly review: ReviewService;

  public constructor(
    private readonly deps: {
      engine: SyncEngine;
      profiles: ProfileStore;
      runs: RunJournal;
      documents: DocumentStore;
      crm: CrmTarget;
      exact: ExactRecordSource;
      clock: Clock;
      lists?: OnDemandLists;
    },
  ) {
    this.profiles = new ProfileService({ profiles: deps.profiles, exact: deps.exact, crm: deps.crm, runs: deps.runs, lists: deps.lists });
    this.runs = deps.engine;
    this.review = new ReviewService({ documents: deps.documents, crm: deps.crm, clock: deps.clock });
  }

  /** A list's columns, for the editor's target and lookup lists; a missing list is a `ListNotFoundError`. */
  public async listColumns(listTitle: string): Promise<CrmFieldInfo[]> {
    return (await this.deps.crm.openList(listTitle)).fields;
  }

  /** The Exact entities a profile can import. */
  public entities(): ExactEntityInfo[] {
    return this.deps.exact.listEntities();
  }
}

/**
 * Listing, changing, saving as new and deleting import profiles, each checked before it is
 * stored. Stored profiles that no longer fit the schema are listed with their problems.
 */
export class ProfileService {
  public constructor(
    private readonly deps: { profiles: ProfileStore; exact: ExactRecordSource; crm: CrmTarget; runs?: RunJournal; lists?: OnDemandLists },
  ) {}

  /** Valid and invalid ones, by title. */
  public async list(): Promise<ProfileEntry[]> {
    const entries = await this.deps.profiles.list();
    return entries.slice().sort((a, b) => a.title.localeCompare(b.title) || a.id.localeCompare(b.id));
  }

  public async get(id: string): Promise<ProfileEntry | undefined> {
    return this.deps.profiles.get(id);
  }

  /**
   * Every problem of a profile: schema, Exact catalog, target list, filter. Mapping problems
   * count too here: the editor should not save what a run would have to leave out.
   */
  public async check(input: unknown): Promise<ProfileProblem[]> {
    let profile: Profile;
    try {
      profile = parseProfile(input);
    } catch (error) {
      if (error instanceof ProfileError) return error.problems;
      throw error;
    }
    const entity = this.deps.exact.describeEntity(profile.source.entity);
    const [list, entries] = await Promise.all([openTarget(this.deps.crm, profile.targetList), this.deps.profiles.list()]);
    const check = checkProfile(profile, entity, list?.fields);
    const mappings = check.mappings.map((m): ProfileProblem => ({ path: m.path, message: m.message, code: m.code, args: m.args }));
    return [...titleProblems(profile, entries), ...check.fatal, ...mappings];
  }

  /**
   * The title itself if no other profile of this site has it (case and spaces do not count), or
   * the first free "Title (2)", "Title (3)": the name "Save as new" offers.
   */
  public async freeTitle(title: string): Promise<string> {
    const taken = new Set((await this.deps.profiles.list()).map((e) => titleKey(e.title)));
    const base = title.trim().replace(/\s+\((\d+)\)$/, '');
    if (!taken.has(titleKey(title))) return title.trim();
    for (let n = 2; ; n++) {
      const candidate = `${base} (${n})`;
      if (!taken.has(titleKey(candidate))) return candidate;
    }
  }

  /**
   * A new profile without `etag`; a change with the `etag` it was read with, so a save over
   * someone else's newer save is a `ProfileConflictError` instead of silently losing theirs.
   */
  public async save(input: unknown, options: { etag?: string } = {}): Promise<ValidProfileEntry> {
    await this.provisionTarget(input);
    const problems = await this.check(input);
    const profile = parseProfileOrThrow(input, problems);
    return this.deps.profiles.save(profile, options);
  }

  /** A copy under a new id made from the title (`klanten-belgie`, `klanten-belgie-2`, ...). */
  public async saveAsNew(input: unknown, title: string): Promise<ValidProfileEntry> {
    const base = parseProfile(input);
    const existing = new Set((await this.deps.profiles.list()).map((p) => p.id));
    const stem = slug(title) || 'profile';
    let id = stem;
    for (let n = 2; existing.has(id); n++) id = `${stem}-${n}`;
    return this.save({ ...base, id, title });
  }

  public async delete(id: string): Promise<void> {
    if (this.deps.runs) {
      const { runs } = this.deps;
      const running = (await runs.listRunning(id)).find((r) => r.status === 'Running');
      if (running) throw new Error(`Profile "${id}" has an unfinished run (${running.id}); resume it before deleting the profile`);
    }
    await this.deps.profiles.delete(id);
  }

  /**
   * The other profiles that import the same list from the same division, for the editor's warning before
   * "Save as new": a second profile of one list and division would import the same records twice.
   */
  public async sameListAndDivision(profile: Pick<Profile, 'id' | 'targetList' | 'division'>): Promise<Profile[]> {
    const entries = await this.deps.profiles.list();
    return entries.flatMap((e) => (e.valid && e.id !== profile.id && e.profile.targetList === profile.targetList && e.profile.division === profile.division ? [e.profile] : []));
  }

  /**
   * The shipped Companies and Contacts profiles for another division of the connection, in one
   * step (ids and titles name the division). A list that already has a profile for the division
   * (by id, or any profile of that list and division) keeps it: a second would import the same
   * records twice.
   */
  public async addDefaultsForDivision(division: number, divisionName: string, language: ProfileLanguage = 'en'): Promise<Profile[]> {
    return this.storeMissing(defaultProfiles(division, { divisionName }, language));
  }

  /** Stores the shipped Companies and Contacts profiles when they are missing; returns the added ones. */
  public async ensureDefaults(division: number, language: ProfileLanguage = 'en'): Promise<Profile[]> {
    return this.storeMissing(defaultProfiles(division, undefined, language));
  }

  /**
   * The shipped profile of one master-data source (items, VAT codes, projects, …) for a division,
   * in one step: its list (and the lists its lookups need) is created when missing, then the
   * profile is stored. A division and list that already have a profile keep it (none is added).
   */
  public async addSourceDefault(source: MasterSourceId, division: number, other?: { divisionName: string }): Promise<Profile[]> {
    const profile = masterDefaultProfile(source, division, other);
    await this.provisionTarget(profile);
    // Two admins at once: the store refuses the second create, and that admin is told nothing was added.
    return this.storeMissing([profile]).catch((error: unknown) => {
      if (error instanceof ProfileConflictError && error.reason === 'exists') return [];
      throw error;
    });
  }

  /** A profile's first use of a master-data list creates the list. */
  private async provisionTarget(input: unknown): Promise<void> {
    const target = typeof input === 'object' && input !== null ? (input as { targetList?: unknown }).targetList : undefined;
    if (typeof target === 'string' && this.deps.lists?.knows(target)) await this.deps.lists.ensure(target);
  }

  private async storeMissing(profiles: Profile[]): Promise<Profile[]> {
    const entries = await this.deps.profiles.list();
    const ids = new Set(entries.map((p) => p.id));
    const covered = new Set(entries.flatMap((e) => (e.valid ? [`${e.profile.division}/${e.profile.targetList}`] : [])));
    const added: Profile[] = [];
    for (const profile of profiles) {
      if (ids.has(profile.id) || covered.has(`${profile.division}/${profile.targetList}`)) continue;
      await this.deps.profiles.save(profile);
      added.push(profile);
    }
    return added;
  }
}

function parseProfileOrThrow(input: unknown, problems: ProfileProblem[]): Profile {
  const profile = parseProfile(input);
  if (problems.length > 0) throw new ProfileError(profile.title, problems);
  return profile;
}

/** Titles compare without case, accents or extra spaces: "Klanten  België" is "klanten belgie". */
function titleKey(title: string): string {
  return title.normalize('NFD').replace(/[\u0300-\u036f]/g, '').trim().replace(/\s+/g, ' ').toLocaleLowerCase();
}

/** A profile's title is its name in every list and dialog: no two profiles of a site share one. */
function titleProblems(profile: Profile, entries: ProfileEntry[]): ProfileProblem[] {
  const other = entries.find((e) => e.id !== profile.id && titleKey(e.title) === titleKey(profile.title));
  if (!other) return [];
  return [{ path: 'title', message: `another profile is already named "${other.title}"; choose another name`, code: 'titleTaken', args: [other.title] }];
}

function slug(title: string): string {
  return title
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
}
