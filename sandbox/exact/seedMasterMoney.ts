/**
 * Currencies and bank accounts of the master-data seed (seedMaster.ts): ISO currencies with their
 * precision, and bank accounts with valid IBANs (NL and BE check digits) for every supplier and
 * every fifth other account.
 */
import { rng } from './random';
import type { DivisionInfo, Row } from './seed';
import { seedAudit as audit } from './demoUser';

export function currencies(division: DivisionInfo): Row[] {
  const defs: Array<[string, string, number]> = [
    ['EUR', 'Euro', 0.01], ['USD', 'Amerikaanse dollar', 0.01], ['GBP', 'Brits pond', 0.01], ['CHF', 'Zwitserse frank', 0.01],
    ['DKK', 'Deense kroon', 0.01], ['SEK', 'Zweedse kroon', 0.01], ['NOK', 'Noorse kroon', 0.01], ['PLN', 'Poolse zloty', 0.01],
    ['CZK', 'Tsjechische kroon', 0.01], ['JPY', 'Japanse yen', 1],
  ];
  return defs.map(([code, description, precision], i) => ({
    Code: code,
    Description: description,
    AmountPrecision: precision,
    PricePrecision: precision === 1 ? 1 : 0.00001,
    Created: division.startDate + i * 60_000,
    Modified: division.startDate + i * 60_000,
  }));
}

/** ISO 13616 check digits: the account number rearranged, letters as numbers, mod 97. */
export function iban(country: string, bban: string): string {
  const digits = `${bban}${country}00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rest = 0;
  for (const ch of digits) {
    rest = (rest * 10 + Number(ch)) % 97;
  }
  return `${country}${String(98 - rest).padStart(2, '0')}${bban}`;
}

const nlBanks: Array<[string, string, string]> = [['ABNA', 'ABN AMRO Bank', 'ABNANL2A'], ['INGB', 'ING Bank', 'INGBNL2A'], ['RABO', 'Rabobank', 'RABONL2U'], ['BUNQ', 'bunq', 'BUNQNL2A']];
const beBanks: Array<[string, string, string]> = [['539', 'ING België', 'BBRUBEBB'], ['001', 'BNP Paribas Fortis', 'GEBABEBB'], ['735', 'KBC Bank', 'KREDBEBB'], ['068', 'Belfius Bank', 'GKCCBEBB']];

export function bankAccounts(division: DivisionInfo, accounts: Row[]): Row[] {
  const rows: Row[] = [];
  accounts.forEach((account, index) => {
    const supplier = account.IsSupplier === true;
    if (!supplier && index % 5 !== 0) return;
    const r = rng(`${division.code}:bankaccount:${index}`);
    const count = supplier && r.chance(0.3) ? 2 : 1;
    for (let n = 0; n < count; n++) {
      let number: string;
      let bank: [string, string, string];
      if (division.country === 'NL') {
        bank = r.pick(nlBanks);
        number = iban('NL', `${bank[0]}0${r.digits(9)}`);
      } else {
        bank = r.pick(beBanks);
        const account7 = r.digits(7);
        const base = Number(`${bank[0]}${account7}`);
        const check = String(base % 97 === 0 ? 97 : base % 97).padStart(2, '0');
        number = iban('BE', `${bank[0]}${account7}${check}`);
      }
      rows.push({
        ID: r.guid(),
        Account: account.ID as string,
        AccountName: account.Name as string,
        BankAccount: number,
        BankAccountHolderName: account.Name as string,
        IBAN: number,
        BICCode: bank[2],
        BankName: bank[1],
        Description: n === 0 ? 'Hoofdrekening' : 'G-rekening',
        Main: n === 0,
        Type: 'B',
        TypeDescription: 'Bank',
        ...audit(division, account.Created as number),
      });
    }
  });
  return rows;
}

