/**
 * Deterministic seed data for a Dutch and a Belgian small business: the same division, size and
 * day always give the same accounts and contacts. Awkward cases the sync engine must survive sit
 * at fixed positions (see `specialAccounts`).
 */
import type { Value } from './odata';
import { rng, type Rng } from './random';

export type Row = Record<string, Value>;

export interface DivisionInfo {
  code: number;
  description: string;
  country: 'NL' | 'BE';
  countryName: string;
  vatNumber: string;
  chamberOfCommerce: string;
  city: string;
  customerId: string;
  customerCode: string;
  startDate: number;
}

export const day = 86_400_000;

export const divisionsSeed: DivisionInfo[] = [
  { code: 2950001, description: 'Van Houten Installatietechniek B.V.', country: 'NL', countryName: 'Nederland', vatNumber: 'NL857412369B01', chamberOfCommerce: '30187456', city: 'Utrecht', customerId: 'a3f1c2d4-5b6e-4f70-8a91-b2c3d4e5f601', customerCode: '1265594', startDate: Date.UTC(2019, 0, 1) },
  { code: 2950002, description: 'Peeters & Zonen BV', country: 'BE', countryName: 'België', vatNumber: 'BE0478123659', chamberOfCommerce: '0478123659', city: 'Gent', customerId: 'a3f1c2d4-5b6e-4f70-8a91-b2c3d4e5f602', customerCode: '1265595', startDate: Date.UTC(2021, 0, 1) },
];

interface Place { city: string; postcode: string; streets: string[] }

const nlPlaces: Place[] = [
  { city: 'Amsterdam', postcode: '10', streets: ['Prinsengracht', 'Overtoom', 'Ferdinand Bolstraat', 'Czaar Peterstraat', 'Javastraat'] },
  { city: 'Utrecht', postcode: '35', streets: ['Oudegracht', 'Biltstraat', 'Amsterdamsestraatweg', 'Vleutenseweg', 'Twijnstraat'] },
  { city: 'Rotterdam', postcode: '30', streets: ['Witte de Withstraat', 'Nieuwe Binnenweg', 'Meent', 'Zwart Janstraat'] },
  { city: 'Den Haag', postcode: '25', streets: ['Frederik Hendriklaan', 'Prinsestraat', 'Weimarstraat', 'Laan van Meerdervoort'] },
  { city: 'Eindhoven', postcode: '56', streets: ['Stratumseind', 'Kruisstraat', 'Woenselse Markt', 'Hoogstraat'] },
  { city: 'Zwolle', postcode: '80', streets: ['Diezerstraat', 'Assendorperstraat', 'Thorbeckegracht'] },
  { city: 'Groningen', postcode: '97', streets: ['Folkingestraat', 'Oosterstraat', 'Nieuwe Ebbingestraat'] },
  { city: 'Haarlem', postcode: '20', streets: ['Zijlstraat', 'Kleine Houtstraat', 'Rijksstraatweg'] },
  { city: 'Amersfoort', postcode: '38', streets: ['Langestraat', 'Kamp', 'Leusderweg'] },
  { city: 'Nijmegen', postcode: '65', streets: ['Molenstraat', 'Hertogstraat', 'Graafseweg'] },
  { city: 'Deventer', postcode: '74', streets: ['Brink', 'Lange Bisschopstraat', 'Snipperlingsdijk'] },
  { city: 'Breda', postcode: '48', streets: ['Ginnekenweg', 'Haagdijk', 'Boschstraat'] },
];

const bePlaces: Place[] = [
  { city: 'Gent', postcode: '9000', streets: ['Veldstraat', 'Kouter', 'Overpoortstraat', 'Sint-Pietersnieuwstraat'] },
  { city: 'Antwerpen', postcode: '2000', streets: ['Meir', 'Kammenstraat', 'Nationalestraat', 'Lange Koepoortstraat'] },
  { city: 'Brussel', postcode: '1000', streets: ['Rue Neuve', 'Rue Antoine Dansaert', 'Boulevard Anspach'] },
  { city: 'Leuven', postcode: '3000', streets: ['Bondgenotenlaan', 'Naamsestraat', 'Tiensestraat'] },
  { city: 'Brugge', postcode: '8000', streets: ['Steenstraat', 'Langestraat', 'Vlamingstraat'] },
  { city: 'Mechelen', postcode: '2800', streets: ['Bruul', 'IJzerenleen', 'Onze-Lieve-Vrouwestraat'] },
  { city: 'Hasselt', postcode: '3500', streets: ['Demerstraat', 'Koningin Astridlaan', 'Kapelstraat'] },
  { city: 'Kortrijk', postcode: '8500', streets: ['Lange Steenstraat', 'Doorniksestraat', 'Leiestraat'] },
  { city: 'Namur', postcode: '5000', streets: ['Rue de Fer', "Rue de l'Ange", 'Boulevard Cauchy'] },
];

const nlSurnames = ['Jansen', 'de Vries', 'van den Berg', 'Bakker', 'Visser', 'Smit', 'Meijer', 'de Boer', 'Mulder', 'de Groot', 'Bos', 'Vos', 'Peters', 'Hendriks', 'van Leeuwen', 'Dekker', 'Brouwer', 'de Wit', 'Dijkstra', 'Smeets', 'van Dijk', 'Kok', 'Verhoeven', 'Koster', 'Prins'];
const beSurnames = ['Peeters', 'Janssens', 'Maes', 'Jacobs', 'Mertens', 'Willems', 'Claes', 'Goossens', 'Wouters', 'De Smet', 'Dubois', 'Lambert', 'Dupont', 'Vermeulen', 'Van Damme', 'Hermans', 'Desmet', 'Lemmens'];
const nlFirst = ['Daan', 'Sem', 'Lucas', 'Emma', 'Julia', 'Sophie', 'Anna', 'Thijs', 'Lotte', 'Bram', 'Sanne', 'Ruben', 'Femke', 'Joris', 'Maaike', 'Pieter', 'Esther', 'Niels'];
const beFirst = ['Arthur', 'Louis', 'Noah', 'Olivia', 'Elise', 'Marie', 'Lore', 'Wout', 'Jana', 'Seppe', 'Hanne', 'Thomas', 'Camille', 'Lucas', 'Fien', 'Jef'];
const trades = ['Installatietechniek', 'Bouw', 'Transport', 'Schilderwerken', 'Elektrotechniek', 'Dakwerken', 'Loodgieters', 'Tuinaanleg', 'Metaalbewerking', 'Advies', 'Automatisering', 'Interieurbouw', 'Koeltechniek', 'Logistiek'];
const shops = ['Bakkerij', 'Slagerij', 'Drukkerij', 'Kwekerij', 'Garage', 'Fietsenwinkel', 'Bloemenhuis', 'Brouwerij', 'Timmerbedrijf', 'Hoveniersbedrijf'];
const descriptors = ['De Korenschoof', 'Het Anker', 'De Zwaan', 'De Molen', 'Het Gouden Hoofd', 'De Eendracht', 'De Hoop', 'Het Wapen', 'De Sleutel', 'Vitalis', 'Noorderlicht', 'De Linde'];
const nlForms = [' B.V.', ' B.V.', '', ' V.O.F.', ''];
const beForms = [' BV', ' NV', ' BV', '', ' CommV'];

/** Accounts at fixed positions that exercise matching and escaping. */
function specialAccounts(country: 'NL' | 'BE'): Array<{ name: string; city?: string; noKvk?: boolean }> {
  if (country === 'NL') {
    return [
      { name: "'t Hoekje", city: 'Haarlem' },
      { name: 'Bakkerij Jansen', city: 'Utrecht' },
      { name: 'Bakkerij Jansen', city: 'Zwolle' },
      { name: 'Café René', city: 'Amsterdam' },
      { name: 'Brasserie Émile & Zoë', city: 'Den Haag' },
      { name: 'Stichting Buurtwerk Oost', city: 'Groningen', noKvk: true },
      { name: "O'Brien Dakwerken B.V.", city: 'Eindhoven' },
    ];
  }
  return [
    { name: "Café 't Pleintje", city: 'Gent' },
    { name: 'Bakkerij Peeters', city: 'Leuven' },
    { name: 'Bakkerij Peeters', city: 'Hasselt' },
    { name: 'Brasserie Élise', city: 'Brussel' },
    { name: 'Crèmerie Françoise', city: 'Namur' },
    { name: 'Feitelijke vereniging Jeugdhuis Den Tap', city: 'Mechelen', noKvk: true },
  ];
}

/** Index of the one customer that always carries overdue invoices (for the customer panel demo). */
export const slowPayerIndex = 7;

export function padCode(code: string): string {
  return code.trim().padStart(18, ' ');
}

export function slug(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\b(b\.?v\.?|n\.?v\.?|v\.?o\.?f\.?|commv|bv)\b/g, '')
    .replace(/[^a-z0-9]+/g, '')
    .slice(0, 40) || 'bedrijf';
}

function companyName(r: Rng, country: 'NL' | 'BE'): string {
  const surname = r.pick(country === 'NL' ? nlSurnames : beSurnames);
  const family = surname.charAt(0).toUpperCase() + surname.slice(1);
  const form = r.pick(country === 'NL' ? nlForms : beForms);
  const pattern = r.int(0, 2);
  if (pattern === 0) {
    return `${family} ${r.pick(trades)}${form}`;
  }
  if (pattern === 1) {
    return `${r.pick(shops)} ${r.pick(descriptors)}`;
  }
  return `${r.pick(descriptors)} ${r.pick(trades)}${form}`;
}

function address(r: Rng, place: Place, country: 'NL' | 'BE'): { line: string; postcode: string } {
  const street = r.pick(place.streets);
  const number = r.int(1, 240);
  if (country === 'NL') {
    const letters = 'ABCDEFGHJKLMNPRSTVWXZ';
    const postcode = `${place.postcode}${String(r.int(10, 99))} ${letters[r.int(0, letters.length - 1)]}${letters[r.int(0, letters.length - 1)]}`;
    return { line: `${street} ${number}`, postcode };
  }
  return { line: `${street} ${number}`, postcode: place.postcode };
}

function belgianVat(r: Rng): string {
  // Belgian enterprise numbers are 10 digits starting with 0, with a mod-97 check on the last two.
  const base = Number(`0${r.digits(7)}`);
  const check = 97 - (base % 97);
  return `0${String(base).padStart(7, '0')}${String(check).padStart(2, '0')}`;
}

const paymentConditions = [
  { code: '14', description: '14 dagen' },
  { code: '30', description: '30 dagen' },
  { code: '30', description: '30 dagen' },
  { code: '21', description: '21 dagen' },
];

export function paymentDays(code: Value): number {
  return Number(code ?? 30) || 30;
}


/** Builds the accounts and contacts of one division; `today` is UTC midnight of the seed day. */
export function seedCrm(division: DivisionInfo, count: number, today: number): { accounts: Row[]; contacts: Row[] } {
  const accounts: Row[] = [];
  const contacts: Row[] = [];
  const specials = specialAccounts(division.country);
  const places = division.country === 'NL' ? nlPlaces : bePlaces;
  for (let i = 0; i < count; i++) {
    const r = rng(`${division.code}:account:${i}`);
    const special = specials[i];
    const name = special?.name ?? companyName(r, division.country);
    const place = places.find((p) => p.city === special?.city) ?? r.pick(places);
    const { line, postcode } = address(r, place, division.country);
    const domain = `${slug(name)}.${division.country.toLowerCase()}`;
    const statusRoll = r.next();
    const status = i === slowPayerIndex ? 'C' : statusRoll < 0.66 ? 'C' : statusRoll < 0.86 ? 'P' : statusRoll < 0.96 ? 'S' : 'A';
    const created = today - r.int(60, 2400) * day + r.int(8, 17) * 3_600_000;
    const modified = Math.min(today - day, created + r.int(0, 400) * day);
    const noKvk = special?.noKvk === true || (i >= specials.length && r.chance(0.04));
    const kvk = division.country === 'NL' ? r.digits(8) : belgianVat(r);
    const vat = noKvk ? null : division.country === 'NL' ? `NL${r.digits(9)}B01` : `BE${kvk}`;
    const condition = r.pick(paymentConditions);
    const id = r.guid();
    const accountContacts: Row[] = [];
    const contactCount = r.int(1, 3);
    for (let j = 0; j < contactCount; j++) {
      const c = rng(`${division.code}:contact:${i}:${j}`);
      const first = c.pick(division.country === 'NL' ? nlFirst : beFirst);
      const surname = c.pick(division.country === 'NL' ? nlSurnames : beSurnames);
      const parts = surname.split(' ');
      const middle = division.country === 'NL' && parts.length > 1 ? parts.slice(0, -1).join(' ') : null;
      const last = middle ? parts[parts.length - 1] : surname;
      const contactCreated = created + c.int(0, 30) * day;
      accountContacts.push({
        ID: c.guid(),
        Account: id,
        AccountName: name,
        AccountIsCustomer: status === 'C',
        AccountIsSupplier: false,
        AccountMainContact: null,
        IsMainContact: j === 0,
        FirstName: first,
        MiddleName: middle,
        LastName: last.charAt(0).toUpperCase() + last.slice(1),
        FullName: [first, middle, last.charAt(0).toUpperCase() + last.slice(1)].filter(Boolean).join(' '),
        Initials: `${first.charAt(0)}.`,
        Title: null,
        Gender: c.pick(['M', 'V', 'O']),
        JobTitleDescription: c.pick(['Directeur', 'Inkoper', 'Office manager', 'Eigenaar', 'Financieel administrateur', 'Projectleider']),
        Email: `${slug(first)}.${slug(last)}@${domain}`,
        Phone: division.country === 'NL' ? `+31 6 ${c.digits(8)}` : `+32 4${c.digits(2)} ${c.digits(2)} ${c.digits(2)} ${c.digits(2)}`,
        Mobile: c.chance(0.5) ? (division.country === 'NL' ? `06-${c.digits(8)}` : `04${c.digits(2)} ${c.digits(6)}`) : null,
        Language: division.country === 'NL' ? 'NL' : c.pick(['NL', 'NL', 'FR']),
        City: place.city,
        Country: division.country,
        Created: contactCreated,
        Modified: contactCreated,
        Division: division.code,
      });
    }
    const mainContact = accountContacts[0].ID;
    for (const contact of accountContacts) {
      contact.AccountMainContact = mainContact;
    }
    accounts.push({
      ID: id,
      Code: padCode(String(20001 + i)),
      Name: name,
      Status: status,
      Type: 'A',
      Blocked: status === 'C' && i !== slowPayerIndex && r.chance(0.05),
      IsSales: status === 'C' || status === 'P',
      IsSupplier: r.chance(0.08),
      IsReseller: false,
      IsAccountant: 0,
      IsAgency: 0,
      IsCompetitor: 0,
      IsMailing: r.chance(0.5) ? 1 : 0,
      Email: `info@${domain}`,
      Phone: division.country === 'NL' ? `0${r.digits(2)}-${r.digits(7)}` : `+32 ${r.digits(1)} ${r.digits(3)} ${r.digits(2)} ${r.digits(2)}`,
      Fax: null,
      Website: `www.${domain}`,
      VATNumber: vat,
      ChamberOfCommerce: noKvk ? null : kvk,
      AddressLine1: line,
      AddressLine2: null,
      AddressLine3: null,
      Postcode: postcode,
      City: place.city,
      State: null,
      Country: division.country,
      CountryName: division.countryName,
      Language: division.country === 'NL' ? 'NL' : r.pick(['NL', 'NL', 'FR']),
      PaymentConditionSales: condition.code,
      PaymentConditionSalesDescription: condition.description,
      SalesCurrency: 'EUR',
      SalesVATCode: division.country === 'NL' ? '2' : '4',
      CreditLineSales: status === 'C' ? r.pick([0, 2500, 5000, 10000]) : 0,
      DiscountSales: r.chance(0.2) ? r.pick([0.02, 0.05]) : 0,
      MainContact: mainContact,
      AccountManagerFullName: r.pick(['Marieke de Jong', 'Koen Verbeek', 'Sofie Claes']),
      Classification1: null,
      Remarks: null,
      StartDate: created,
      Created: created,
      Modified: modified,
      Division: division.code,
    });
    contacts.push(...accountContacts);
  }
  return { accounts, contacts };
}
