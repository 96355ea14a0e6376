import type { ExactEntityInfo } from '../model';
import { FilterProblem, filterProblemText, parseFilterExpression } from '../odata';

/**
 * Checks a profile's OData `$filter` before it reaches Exact: every rejected request counts
 * towards Exact's 10-errors-per-hour block, so a typo must be caught here, with a clear reason.
 * It parses with the grammar the Exact stand-in answers with (src/sync/odata): syntax, each
 * field against the entity catalog, each value against its field's type, Exact's functions.
 */

export const MAX_FILTER_LENGTH = 255;

/** The problems found, as codes and arguments the editor words in the user's language; empty: the filter may be sent. */
export function checkFilter(filter: string, entity: ExactEntityInfo): FilterProblem[] {
  const problems: FilterProblem[] = [];
  if (filter.length > MAX_FILTER_LENGTH) problems.push(new FilterProblem('tooLong', [String(filter.length), String(MAX_FILTER_LENGTH)], MAX_FILTER_LENGTH));
  const types = new Map(entity.fields.map((f) => [f.name, f.type]));
  try {
    parseFilterExpression(filter, { fields: (name) => types.get(name), entity: entity.name });
  } catch (error) {
    if (!(error instanceof FilterProblem)) throw error;
    problems.push(error);
  }
  return problems;
}

/** The problems found, in English; an empty list means the filter may be sent. */
export function validateFilter(filter: string, entity: ExactEntityInfo): string[] {
  return checkFilter(filter, entity).map(filterProblemText);
}
