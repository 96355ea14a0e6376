import type { ProfileEntry } from '../../../sync/ports';
import type { ImportProfilesService } from '../../../sync/service';

/** What the import-profiles page reads once and hands to the list and a profile's views. */
export interface PageData {
  importProfiles: ImportProfilesService;
  entries: ProfileEntry[];
  user: string;
  divisions: Array<{ code: number; description: string }>;
}
