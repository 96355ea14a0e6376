import {
  normalizeCode,
  normalizeCompanyName,
  normalizeDomain,
  normalizeKey,
  normalizeKvk,
  normalizePostcode,
  normalizeVat,
} from '../model';
import type { MatchRule } from '../profile/profile';
import type { CrmItem, FieldValue } from '../model';
import { because, type Reason } from '../journal/reasons';

/**
 * The match cascade links Exact records to CRM items that have no key yet. Rules run in the
 * profile's order; the first rule that finds anyone decides. One candidate with a strong
 * signal links; several candidates, or one found by a weak signal, go to the review list.
 */

export type MatchSignal = MatchRule['signal'];

export const SIGNAL_CONFIDENCE: Record<MatchSignal, number> = {
  exactId: 1,
  code: 0.95,
  kvk: 0.95,
  vat: 0.9,
  emailDomainAndName: 0.75,
  nameAndPostcode: 0.7,
};

export interface MatchCandidate {
  itemId: number;
  signal: MatchSignal;
  confidence: number;
}

export type MatchResult =
  | { kind: 'none' }
  | { kind: 'certain'; candidate: MatchCandidate }
  | { kind: 'ambiguous'; candidates: MatchCandidate[]; reason: Reason };

function signalValue(signal: MatchSignal, values: FieldValue[]): string {
  const [a, b] = values;
  switch (signal) {
    case 'exactId':
      return normalizeKey(a);
    case 'code':
      return normalizeCode(a);
    case 'kvk': {
      const kvk = normalizeKvk(a);
      return kvk.length >= 8 ? kvk : '';
    }
    case 'vat': {
      // Leading zeros are stripped (BE 0456… = 456…), so a real number can be as short as 6 digits.
      const vat = normalizeVat(a);
      return vat.length >= 6 ? vat : '';
    }
    case 'emailDomainAndName': {
      const domain = normalizeDomain(a);
      const name = normalizeCompanyName(b);
      return domain && name ? `${domain}|${name}` : '';
    }
    case 'nameAndPostcode': {
      const name = normalizeCompanyName(a);
      const postcode = normalizePostcode(b);
      return name && postcode ? `${name}|${postcode}` : '';
    }
  }
}

export class Matcher {
  private readonly indexes: Array<Map<string, number[]>>;

  public constructor(
    private readonly rules: MatchRule[],
    candidates: CrmItem[],
    private readonly threshold: number,
  ) {
    this.indexes = rules.map((rule) => {
      const index = new Map<string, number[]>();
      for (const item of candidates) {
        const value = signalValue(rule.signal, rule.crm.map((f) => item.values[f] ?? null));
        if (!value) continue;
        const ids = index.get(value);
        if (ids) ids.push(item.id);
        else index.set(value, [item.id]);
      }
      return index;
    });
  }

  /** `excluded`: items an admin rejected for this record, or already linked in this run. */
  public match(record: Record<string, FieldValue>, excluded: { has(id: number): boolean }): MatchResult {
    for (let i = 0; i < this.rules.length; i++) {
      const rule = this.rules[i];
      // No CRM item without a key has this signal (a first import has none at all): nothing to
      // normalise on the Exact side.
      if (this.indexes[i].size === 0) continue;
      const value = signalValue(rule.signal, rule.exact.map((f) => record[f] ?? null));
      if (!value) continue;
      const ids = (this.indexes[i].get(value) ?? []).filter((id) => !excluded.has(id));
      if (ids.length === 0) continue;
      const confidence = SIGNAL_CONFIDENCE[rule.signal];
      // Each candidate matched on the signal exactly as much as a single one would: two companies
      // with the same KvK number are each an exact KvK match, and the question is which one.
      const candidates = ids.map((itemId) => ({ itemId, signal: rule.signal, confidence }));
      if (ids.length > 1) {
        return { kind: 'ambiguous', candidates, reason: because('reviewMany', ids.length, rule.signal) };
      }
      if (confidence < this.threshold) {
        return { kind: 'ambiguous', candidates, reason: because('reviewWeak', rule.signal, confidence) };
      }
      return { kind: 'certain', candidate: candidates[0] };
    }
    return { kind: 'none' };
  }
}
