import { format } from '../../../ui/format';
import type { DefaultsAdded } from './AddDefaultsDialog';

/** The page's words for what "add default profiles" did (loc strings, passed in so this stays testable). */
export interface DefaultsAddedWords {
  AddDefaultsDone: string;
  AddDefaultsKept: string;
  AddDefaultsNothing: string;
  AddDefaultsNothingNew: string;
}

/**
 * One sentence, or two, for the page's message after adding defaults. Nothing added while the page
 * knew of no list that had a profile (another admin was quicker, or an unreadable profile holds the
 * id) is said as such, never as "already has a profile for ." with the list left out.
 */
export function defaultsAddedMessage(added: DefaultsAdded, divisionText: string, words: DefaultsAddedWords): string {
  if (added.profiles.length === 0) {
    return added.kept.length > 0 ? format(words.AddDefaultsNothing, divisionText, added.kept.join(', ')) : format(words.AddDefaultsNothingNew, divisionText);
  }
  const done = format(words.AddDefaultsDone, divisionText, added.profiles.map((p) => `“${p.title}”`).join(', '));
  return added.kept.length > 0 ? `${done} ${format(words.AddDefaultsKept, added.kept.join(', '))}` : done;
}
