/**
 * Just enough of an OData `$filter` to tell what a read can return: its top-level `and`/`or`
 * parts. A panel read is scoped to one customer only if its filter is a conjunction with
 * `Account eq guid'…'` as one of its top-level parts; anything with a top-level `or` can widen it.
 * Unbalanced quotes or brackets make the filter unreadable here, and an unreadable filter is refused.
 */

/** The filter with quoted text and bracketed groups blanked out, so only top-level words remain. */
function topLevelMask(filter: string): string | undefined {
  let depth = 0;
  let quoted = false;
  let mask = '';
  for (let i = 0; i < filter.length; i++) {
    const c = filter[i]!;
    if (quoted) {
      // Inside a literal, '' is a quote, a lone ' ends it.
      if (c === "'" && filter[i + 1] === "'") {
        mask += '##';
        i++;
        continue;
      }
      quoted = c !== "'";
      mask += '#';
      continue;
    }
    if (c === "'") quoted = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    if (depth < 0) return undefined;
    mask += depth > 0 || c === "'" || c === ')' ? '#' : c;
  }
  return quoted || depth !== 0 ? undefined : mask;
}

/**
 * The top-level parts joined by `operator` (any case, with or without white space next to a
 * bracket: a lenient parser may read `(a)or(b)` too), trimmed; one part when there is none.
 * Undefined when the filter's quotes or brackets do not balance.
 */
export function topLevelParts(filter: string, operator: 'and' | 'or'): string[] | undefined {
  const mask = topLevelMask(filter);
  if (mask === undefined) return undefined;
  const parts: string[] = [];
  const separator = new RegExp(`\\s*(?<![A-Za-z0-9_])${operator}(?![A-Za-z0-9_])\\s*`, 'gi');
  let from = 0;
  for (const match of mask.matchAll(separator)) {
    parts.push(filter.slice(from, match.index).trim());
    from = match.index + match[0].length;
  }
  parts.push(filter.slice(from).trim());
  return parts;
}

const guidLiteral = "guid'[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}'";

/** Whether every row the filter can match has `field` equal to one GUID: `{field} eq guid'…' [and …]`. */
export function isScopedToOne(filter: string, field: string): boolean {
  const alternatives = topLevelParts(filter, 'or');
  if (alternatives?.length !== 1) return false;
  const scope = new RegExp(`^${field} eq ${guidLiteral}$`);
  return (topLevelParts(filter, 'and') ?? []).some((part) => scope.test(part));
}

/**
 * Whether the filter only looks records up by equal values: `(Name eq '…') or (VATNumber eq '…')`
 * over the given fields, at most `most` of them. Such a read finds what the caller already knows
 * the name or number of; it cannot list the rest.
 */
export function isLookup(filter: string, fields: readonly string[], most = 5): boolean {
  const alternatives = topLevelParts(filter, 'or');
  if (!alternatives || alternatives.length > most) return false;
  const lookup = new RegExp(`^(${fields.join('|')}) eq '(?:[^']|'')*'$`);
  return alternatives.every((part) => {
    const bare = /^\((.*)\)$/s.exec(part)?.[1]?.trim() ?? part;
    // The brackets must enclose this one comparison: `(a) or (b)` is not one bracketed part.
    return topLevelParts(bare, 'or')?.length === 1 && lookup.test(bare);
  });
}
