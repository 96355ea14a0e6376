/**
 * A division's journals (`financial/Journals`): the sales journal a concept invoice is entered in,
 * beside the cash, bank, purchase and general journals every administration has. Fields and the
 * `Type` values (10 cash, 12 bank, 20 sales, 22 purchase, 90 general) follow Exact's
 * FinancialJournals model as picqer's client carries it. No sync/bulk twin and no DELETE.
 */
import type { Endpoint, Fields } from './endpoint';
import { rng } from './random';
import type { DivisionInfo, Row } from './seed';
import { seedAudit as audit } from './demoUser';

export const journalFields: Fields = {
  ID: 'guid',
  Code: 'string',
  Description: 'string',
  Type: 'int',
  Currency: 'string',
  AllowVariableCurrency: 'boolean',
  AllowVAT: 'boolean',
  GLAccountCode: 'string',
  Created: 'datetime',
  Creator: 'guid',
  CreatorFullName: 'string',
  Modified: 'datetime',
  Modifier: 'guid',
  ModifierFullName: 'string',
  Division: 'int',
};

export const journalEndpoints: Endpoint[] = [
  { path: 'financial/Journals', dataset: 'journals', model: 'Journal', key: 'ID', fields: journalFields, pageSize: 60, methods: ['GET'] },
];

/** Code 70 "Verkoopboek" (NL) / "Verkoopdagboek" (BE) is where the seeded and API-posted invoices go. */
export function journals(division: DivisionInfo): Row[] {
  const nl = division.country === 'NL';
  const defs: Array<[string, string, number, string]> = [
    ['10', 'Kas', 10, '1000'],
    ['20', nl ? 'Bank' : 'Bank KBC', 12, '1100'],
    ['60', nl ? 'Inkoopboek' : 'Aankoopdagboek', 22, '1600'],
    ['70', nl ? 'Verkoopboek' : 'Verkoopdagboek', 20, '1300'],
    ['71', nl ? 'Verkoopboek abonnementen' : 'Verkoopdagboek abonnementen', 20, '1300'],
    ['90', nl ? 'Memoriaal' : 'Diverse verrichtingen', 90, '2000'],
  ];
  const r = rng(`${division.code}:journals`);
  return defs.map(([code, description, type, gl]) => ({
    ID: r.guid(),
    Code: code,
    Description: description,
    Type: type,
    Currency: 'EUR',
    AllowVariableCurrency: type === 20 || type === 22,
    AllowVAT: type === 20 || type === 22 || type === 90,
    GLAccountCode: gl,
    ...audit(division, division.startDate),
  }));
}
