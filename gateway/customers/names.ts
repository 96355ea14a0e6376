/**
 * When two company names are the same name: compared without case, accents, punctuation, extra
 * spaces or a trailing legal form, so "Bakkerij De Korenbloem B.V." and "bakkerij de korenbloem"
 * are one name and a second create of it is a duplicate candidate. Only the same name (in the
 * same country) counts: anything fuzzier would stop people creating real, different customers.
 */

/** Dutch, Belgian and a few common foreign legal forms, written without dots. */
const legalForms = new Set(['bv', 'nv', 'vof', 'cv', 'bvba', 'cvba', 'vzw', 'sprl', 'srl', 'sa', 'commv', 'ltd', 'llc', 'inc', 'gmbh', 'ag']);

export function normalisedName(name: string): string {
  const words = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    // B.V. and N.V. are one word each.
    .replace(/\./g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  while (words.length > 1 && legalForms.has(words[words.length - 1]!)) words.pop();
  return words.join(' ');
}

/**
 * One word of the name for Exact's `substringof`, which cannot normalise: the longest plain
 * (unaccented letters and digits) word that is not a legal form, so every account with the same
 * normalised name contains it; the first word as written when there is no plain one.
 */
export function searchWord(name: string): string {
  const plain = (name.match(/[A-Za-z0-9]+/g) ?? []).filter((w) => !legalForms.has(w.toLowerCase()));
  const longest = plain.sort((a, b) => b.length - a.length)[0];
  return longest ?? name.trim().split(/\s+/)[0] ?? name;
}
