import type { ProfileEntry } from '../../../sync/ports';
import type { ImportProfilesService } from '../../../sync/service';
import type { Division } from './divisions';

/** What the import-profiles page reads once and hands to the list and a profile's views. */
export interface PageData {
  importProfiles: ImportProfilesService;
  entries: ProfileEntry[];
  user: string;
  divisions: Division[];
  /** The connection's default division: items without a recorded division belong to it. */
  defaultDivision?: number;
}
