/**
 * Master data of both divisions, seeded as an IT reseller keeps it: laptops, screens and
 * accessories, software licences, support and consultancy hours; Dutch VAT codes (21 %, 9 %, 0 %)
 * and Belgian ones (21 %, 12 %, 6 %, 0 %); payment conditions; cost centres; projects for the
 * division's customers; employees (with personal fields only HR may read); currencies; bank
 * accounts of suppliers. Deterministic: the same division, sizes and day give the same rows.
 */
import type { MasterDataset } from './endpoint';
import { journals } from './journals';
import { rng } from './random';
import { day, slug, type DivisionInfo, type Row } from './seed';
import { seedAudit as audit } from './demoUser';
import { bankAccounts, currencies } from './seedMasterMoney';

export interface MasterSizes {
  items: number;
  projects: number;
  employees: number;
  /** VAT codes in all: the legal ones, then OSS codes per EU country and old blocked codes up to this number. */
  vatCodes: number;
}

export const defaultMasterSizes: MasterSizes = { items: 180, projects: 40, employees: 24, vatCodes: 0 };

const padRight = (text: string, width: number): string => text.padEnd(width, ' ');

interface VatDef { code: string; description: string; percentage: number; type: 'B' | 'E' | 'I' | 'N'; use: 'S' | 'P' | 'B'; charged?: boolean; listing?: 'L' | 'S' | 'N'; blocked?: boolean }

const nlVat: VatDef[] = [
  { code: '0', description: 'Geen btw', percentage: 0, type: 'N', use: 'B' },
  { code: '1', description: 'Verkopen laag tarief, excl. (9%)', percentage: 0.09, type: 'E', use: 'S' },
  { code: '2', description: 'Verkopen hoog tarief, excl. (21%)', percentage: 0.21, type: 'E', use: 'S' },
  { code: '3', description: 'Verkopen 0%', percentage: 0, type: 'B', use: 'S' },
  { code: '4', description: 'Verkopen hoog tarief, incl. (21%)', percentage: 0.21, type: 'I', use: 'S' },
  { code: '5', description: 'Inkopen laag tarief, excl. (9%)', percentage: 0.09, type: 'E', use: 'P' },
  { code: '6', description: 'Inkopen hoog tarief, excl. (21%)', percentage: 0.21, type: 'E', use: 'P' },
  { code: '7', description: 'Verlegde btw inkopen (21%)', percentage: 0.21, type: 'E', use: 'P', charged: true },
  { code: '8', description: 'Leveringen naar landen binnen de EU (0%)', percentage: 0, type: 'B', use: 'S', listing: 'L' },
  { code: '9', description: 'Diensten naar landen binnen de EU (0%)', percentage: 0, type: 'B', use: 'S', listing: 'S' },
  { code: '10', description: 'Leveringen naar landen buiten de EU (0%)', percentage: 0, type: 'B', use: 'S' },
  { code: '11', description: 'Verkopen laag tarief (6%, tot 2019)', percentage: 0.06, type: 'E', use: 'S', blocked: true },
];

const beVat: VatDef[] = [
  { code: '0', description: 'Geen btw', percentage: 0, type: 'N', use: 'B' },
  { code: '1', description: 'Verkopen 6%', percentage: 0.06, type: 'E', use: 'S' },
  { code: '2', description: 'Verkopen 12%', percentage: 0.12, type: 'E', use: 'S' },
  { code: '3', description: 'Verkopen 0%', percentage: 0, type: 'B', use: 'S' },
  { code: '4', description: 'Verkopen 21%', percentage: 0.21, type: 'E', use: 'S' },
  { code: '5', description: 'Medecontractant, btw verlegd', percentage: 0, type: 'B', use: 'S', charged: true },
  { code: '6', description: 'Intracommunautaire levering (0%)', percentage: 0, type: 'B', use: 'S', listing: 'L' },
  { code: '7', description: 'Intracommunautaire diensten (0%)', percentage: 0, type: 'B', use: 'S', listing: 'S' },
  { code: '81', description: 'Aankopen 21%', percentage: 0.21, type: 'E', use: 'P' },
  { code: '82', description: 'Aankopen 6%', percentage: 0.06, type: 'E', use: 'P' },
  { code: '83', description: 'Aankopen 12%', percentage: 0.12, type: 'E', use: 'P' },
];

/** One-stop-shop codes for distance sales, one per EU country and its standard rate. */
const ossRates: Array<[string, string, number]> = [
  ['AT', 'Oostenrijk', 0.2], ['BG', 'Bulgarije', 0.2], ['CY', 'Cyprus', 0.19], ['CZ', 'Tsjechië', 0.21], ['DE', 'Duitsland', 0.19],
  ['DK', 'Denemarken', 0.25], ['EE', 'Estland', 0.22], ['ES', 'Spanje', 0.21], ['FI', 'Finland', 0.255], ['FR', 'Frankrijk', 0.2],
  ['GR', 'Griekenland', 0.24], ['HR', 'Kroatië', 0.25], ['HU', 'Hongarije', 0.27], ['IE', 'Ierland', 0.23], ['IT', 'Italië', 0.22],
  ['LT', 'Litouwen', 0.21], ['LU', 'Luxemburg', 0.17], ['LV', 'Letland', 0.21], ['MT', 'Malta', 0.18], ['PL', 'Polen', 0.23],
  ['PT', 'Portugal', 0.23], ['RO', 'Roemenië', 0.19], ['SE', 'Zweden', 0.25], ['SI', 'Slovenië', 0.22], ['SK', 'Slowakije', 0.23],
];

/** The sales VAT code of each rate, per country; items refer to these. */
export const salesVatCode = {
  NL: { high: '2', low: '1', zero: '3' },
  BE: { high: '4', low: '1', middle: '2', zero: '3' },
} as const;

function vatCodes(division: DivisionInfo, total: number, today: number): Row[] {
  const defs = [...(division.country === 'NL' ? nlVat : beVat)];
  for (const [country, name, rate] of ossRates) {
    if (defs.length >= total) break;
    defs.push({ code: `O${country}`, description: `OSS ${name} (${Math.round(rate * 1000) / 10}%)`, percentage: rate, type: 'E', use: 'S' });
  }
  for (let n = 1; defs.length < total; n++) {
    defs.push({ code: `H${String(n).padStart(2, '0')}`, description: `Vervallen btw-code ${n}`, percentage: 0.19, type: 'E', use: 'S', blocked: true });
  }
  const r = rng(`${division.code}:vat`);
  const taxOffice = division.country === 'NL' ? 'Belastingdienst' : 'FOD Financiën';
  return defs.map((def, i) => {
    const created = division.startDate + i * 60_000;
    return {
      ID: r.guid(),
      Code: padRight(def.code, 3),
      Description: def.description,
      Percentage: def.percentage,
      Type: def.type,
      VATTransactionType: def.use,
      Charged: def.charged ?? false,
      IsBlocked: def.blocked ?? false,
      IntraStat: def.listing === 'L',
      EUSalesListing: def.listing ?? 'N',
      CalculationBasis: 1,
      VatMargin: 0,
      LegalText: def.charged ? (division.country === 'NL' ? 'Btw verlegd' : 'Verlegging van heffing') : null,
      Account: def.percentage > 0 ? r.guid() : null,
      AccountCode: def.percentage > 0 ? '             10001' : null,
      AccountName: def.percentage > 0 ? taxOffice : null,
      GLToPay: def.use !== 'P' && def.percentage > 0 ? r.guid() : null,
      GLToPayCode: def.use !== 'P' && def.percentage > 0 ? '1500' : null,
      GLToPayDescription: def.use !== 'P' && def.percentage > 0 ? 'Af te dragen btw' : null,
      GLToClaim: def.use !== 'S' && def.percentage > 0 ? r.guid() : null,
      GLToClaimCode: def.use !== 'S' && def.percentage > 0 ? '1520' : null,
      GLToClaimDescription: def.use !== 'S' && def.percentage > 0 ? 'Voorbelasting' : null,
      ...audit(division, created, def.blocked ? today - 400 * day : created),
    };
  });
}

interface ConditionDef { code: string; description: string; days: number; endOfMonths?: number; method: 'B' | 'I' | 'K'; discount?: number; discountDays?: number }

function paymentConditions(division: DivisionInfo): Row[] {
  const defs: ConditionDef[] = [
    { code: '00', description: 'Contant', days: 0, method: 'K' },
    { code: '07', description: '7 dagen', days: 7, method: 'B' },
    { code: '14', description: '14 dagen', days: 14, method: 'B' },
    { code: '21', description: '21 dagen', days: 21, method: 'B' },
    { code: '30', description: '30 dagen', days: 30, method: 'B' },
    { code: '60', description: '60 dagen', days: 60, method: 'B' },
    { code: 'EM', description: '30 dagen na einde maand', days: 30, endOfMonths: 1, method: 'B' },
    { code: '2K', description: '2% korting binnen 8 dagen, netto 30 dagen', days: 30, method: 'B', discount: 0.02, discountDays: 8 },
    division.country === 'NL'
      ? { code: 'IN', description: 'Automatische incasso', days: 14, method: 'I' }
      : { code: 'DOM', description: 'Domiciliëring', days: 14, method: 'I' },
  ];
  const r = rng(`${division.code}:paymentconditions`);
  return defs.map((def, i) => ({
    ID: r.guid(),
    Code: def.code,
    Description: def.description,
    PaymentDays: def.days,
    PaymentEndOfMonths: def.endOfMonths ?? 0,
    PaymentMethod: def.method,
    DiscountPercentage: def.discount ?? 0,
    DiscountPaymentDays: def.discountDays ?? 0,
    PaymentDiscountType: def.discount ? 'B' : null,
    ...audit(division, division.startDate + i * 60_000),
  }));
}

function costCenters(division: DivisionInfo, today: number): Row[] {
  const defs: Array<[string, string, boolean?]> = [
    ['100', 'Directie'], ['200', 'Verkoop'], ['210', 'Accountmanagement'], ['300', 'Techniek'], ['310', 'Servicedesk'],
    ['320', 'Projecten'], ['400', 'Inkoop en logistiek'], ['500', 'Marketing'], ['900', 'Algemeen'],
    ['350', 'Migratie Windows 10 (afgerond)', true],
  ];
  const r = rng(`${division.code}:costcenters`);
  return defs.map(([code, description, ended], i) => ({
    ID: r.guid(),
    Code: code,
    Description: description,
    Active: !ended,
    EndDate: ended ? today - 120 * day : null,
    ...audit(division, division.startDate + i * 60_000),
  }));
}

interface Family { prefix: string; group: string; groupDescription: string; unit: string; unitDescription: string; unitType: 'O' | 'T'; time?: boolean; stock: boolean; rate: 'high' | 'low' | 'middle' | 'zero'; models: Array<[string, number]>; variants?: string[] }

const families: Family[] = [
  { prefix: 'LT', group: '100', groupDescription: 'Laptops', unit: 'stuk', unitDescription: 'Stuk', unitType: 'O', stock: true, rate: 'high', models: [['Lenovo ThinkPad T14 Gen 5', 1349], ['Dell Latitude 5450', 1199], ['HP EliteBook 840 G11', 1429], ['Apple MacBook Air 13" M3', 1299], ['Lenovo ThinkPad X1 Carbon Gen 12', 2099], ['Microsoft Surface Laptop 7', 1499]], variants: ['i5, 16 GB, 512 GB SSD', 'i7, 16 GB, 512 GB SSD', 'i7, 32 GB, 1 TB SSD', 'Ultra 5, 16 GB, 256 GB SSD'] },
  { prefix: 'MON', group: '110', groupDescription: 'Beeldschermen', unit: 'stuk', unitDescription: 'Stuk', unitType: 'O', stock: true, rate: 'high', models: [['Dell P2425H 24"', 219], ['Philips 27E1N5600AE 27"', 289], ['LG 34WQ75C 34" curved', 549], ['iiyama ProLite XUB2493HS', 159]] },
  { prefix: 'DOCK', group: '120', groupDescription: 'Accessoires', unit: 'stuk', unitDescription: 'Stuk', unitType: 'O', stock: true, rate: 'high', models: [['Lenovo ThinkPad Universal USB-C Dock', 239], ['Dell WD19S dockingstation', 219], ['Logitech MX Keys toetsenbord', 119], ['Logitech MX Master 3S muis', 99], ['Jabra Evolve2 65 headset', 229], ['USB-C kabel 2 m', 19.95]] },
  { prefix: 'LIC', group: '200', groupDescription: 'Softwarelicenties', unit: 'licentie', unitDescription: 'Licentie', unitType: 'O', stock: false, rate: 'high', models: [['Microsoft 365 Business Standard (jaar)', 151.2], ['Microsoft 365 Business Premium (jaar)', 264], ['Microsoft 365 E3 (jaar)', 432], ['Windows 11 Pro upgrade', 199], ['Adobe Acrobat Pro (jaar)', 239.88], ['ESET PROTECT Entry (jaar)', 42.5], ['Veeam Backup for Microsoft 365 (jaar)', 36]] },
  { prefix: 'SUP', group: '300', groupDescription: 'Dienstverlening', unit: 'uur', unitDescription: 'Uur', unitType: 'T', time: true, stock: false, rate: 'high', models: [['Supportuur op afstand', 95], ['Supportuur op locatie', 110], ['Consultancy uur senior', 135], ['Projectleiding uur', 125], ['Installatie werkplek', 85]] },
  { prefix: 'CTR', group: '310', groupDescription: 'Beheercontracten', unit: 'mnd', unitDescription: 'Maand', unitType: 'T', stock: false, rate: 'high', models: [['Beheercontract werkplek per maand', 29.5], ['Beheercontract server per maand', 149], ['Back-up as a service per maand', 49]] },
  { prefix: 'BOEK', group: '400', groupDescription: 'Opleiding en documentatie', unit: 'stuk', unitDescription: 'Stuk', unitType: 'O', stock: true, rate: 'low', models: [['Handboek Microsoft 365 voor beheerders', 49.95], ['Handboek veilig thuiswerken', 24.95]] },
  { prefix: 'EXP', group: '500', groupDescription: 'Export', unit: 'stuk', unitDescription: 'Stuk', unitType: 'O', stock: true, rate: 'zero', models: [['Laptop levering buiten de EU', 1199]] },
];

/** Belgian 12 %: catering at a training day. */
const beMiddle: Family = { prefix: 'CAT', group: '410', groupDescription: 'Catering', unit: 'pers', unitDescription: 'Persoon', unitType: 'O', stock: false, rate: 'middle', models: [['Lunch bij opleiding', 18.5]] };

function items(division: DivisionInfo, count: number, vat: Row[], today: number): Row[] {
  const list = division.country === 'BE' ? [...families, beMiddle] : families;
  const codes = division.country === 'NL' ? salesVatCode.NL : salesVatCode.BE;
  const vatByCode = new Map(vat.map((row) => [String(row.Code).trim(), row]));
  const groupIds = new Map(list.map((f) => [f.group, rng(`${division.code}:itemgroup:${f.group}`).guid()]));
  const revenueAccount = rng(`${division.code}:glrevenue`).guid();
  const rows: Row[] = [];
  // Every model once first (the realistic catalogue), then configurations of hardware until `count`.
  const base: Array<{ family: Family; model: string; price: number; variant?: string }> = list.flatMap((family) => family.models.map(([model, price]) => ({ family, model, price })));
  const hardware = base.filter((b) => b.family.variants);
  for (let i = 0; i < count; i++) {
    const r = rng(`${division.code}:item:${i}`);
    const pick = i < base.length ? base[i] : { ...hardware[(i - base.length) % hardware.length], variant: hardware[0].family.variants?.[Math.floor((i - base.length) / hardware.length) % 4] };
    const family = pick.family;
    const rate = family.rate as keyof typeof codes;
    const vatCode = (codes as Record<string, string>)[rate] ?? codes.high;
    const vatRow = vatByCode.get(vatCode);
    const description = pick.variant ? `${pick.model}, ${pick.variant}` : pick.model;
    const price = pick.variant ? Math.round(pick.price * (1 + 0.15 * ((i - base.length) % 4)) * 100) / 100 : pick.price;
    const created = today - r.int(30, 1500) * day;
    const retired = i > base.length && r.chance(0.04);
    rows.push({
      ID: r.guid(),
      Code: `${family.prefix}-${String(i + 1).padStart(5, '0')}`,
      Description: description.slice(0, 60),
      ExtraDescription: pick.variant ? `${pick.model} in de uitvoering ${pick.variant}` : null,
      SearchCode: slug(pick.model).slice(0, 10).toUpperCase(),
      Barcode: family.stock ? `87${r.digits(11)}` : null,
      IsSalesItem: true,
      IsPurchaseItem: family.stock || family.prefix === 'LIC',
      IsStockItem: family.stock,
      IsSerialItem: family.prefix === 'LT',
      IsFractionAllowedItem: family.time === true,
      IsPackageItem: false,
      IsSubcontractedItem: false,
      IsTime: family.time ? 1 : 0,
      IsWebshopItem: family.stock ? 1 : 0,
      IsMakeItem: 0,
      IsBatchItem: 0,
      CopyRemarks: 0,
      ItemGroup: groupIds.get(family.group) ?? null,
      ItemGroupCode: family.group,
      ItemGroupDescription: family.groupDescription,
      SalesVatCode: padRight(vatCode, 3),
      SalesVatCodeDescription: vatRow ? String(vatRow.Description) : null,
      Unit: padRight(family.unit, 8),
      UnitDescription: family.unitDescription,
      UnitType: family.unitType,
      StandardSalesPrice: price,
      CostPriceStandard: Math.round(price * (family.time ? 0.45 : 0.78) * 100) / 100,
      CostPriceCurrency: 'EUR',
      AverageCost: family.stock ? Math.round(price * 0.76 * 100) / 100 : null,
      Stock: family.stock ? r.int(0, 40) : 0,
      NetWeight: family.prefix === 'LT' ? 1.4 : family.prefix === 'MON' ? 4.8 : null,
      GLRevenue: revenueAccount,
      GLRevenueCode: '8000',
      GLRevenueDescription: 'Omzet',
      SecurityLevel: 10,
      StartDate: created,
      EndDate: retired ? today - r.int(1, 90) * day : null,
      Notes: null,
      ...audit(division, created, Math.min(today - day, created + r.int(0, 300) * day)),
    });
  }
  return rows;
}

const firstNames = ['Sanne', 'Daan', 'Lotte', 'Bram', 'Femke', 'Joris', 'Maaike', 'Ruben', 'Esther', 'Niels', 'Fien', 'Wout', 'Hanne', 'Seppe', 'Lore', 'Jef'];
const lastNames = ['de Jong', 'Verbeek', 'Claes', 'Bakker', 'Janssens', 'Visser', 'Peeters', 'Mertens', 'Smit', 'Wouters', 'Dekker', 'Maes'];

function employees(division: DivisionInfo, count: number, today: number): Row[] {
  const rows: Row[] = [];
  const domain = division.country === 'NL' ? 'vanhouten.nl' : 'peeters-zonen.be';
  for (let i = 0; i < count; i++) {
    const r = rng(`${division.code}:employee:${i}`);
    const first = r.pick(firstNames);
    const full = r.pick(lastNames);
    const parts = full.split(' ');
    const middle = parts.length > 1 ? parts.slice(0, -1).join(' ') : null;
    const last = parts[parts.length - 1];
    const start = today - r.int(60, 3000) * day;
    const left = i > 2 && r.chance(0.12);
    rows.push({
      ID: r.guid(),
      Code: String(i + 1),
      HID: i + 1,
      FirstName: first,
      MiddleName: middle,
      LastName: last.charAt(0).toUpperCase() + last.slice(1),
      FullName: [first, middle, last.charAt(0).toUpperCase() + last.slice(1)].filter(Boolean).join(' '),
      Initials: `${first.charAt(0)}.`,
      Gender: r.pick(['M', 'V', 'O']),
      Title: null,
      Email: `${slug(first)}.${slug(last)}@${domain}`,
      BusinessEmail: `${slug(first)}.${slug(last)}@${domain}`,
      BusinessPhone: division.country === 'NL' ? `030-${r.digits(7)}` : `+32 9 ${r.digits(3)} ${r.digits(2)} ${r.digits(2)}`,
      Mobile: division.country === 'NL' ? `06-${r.digits(8)}` : `04${r.digits(2)} ${r.digits(6)}`,
      City: division.city,
      Country: division.country,
      Language: 'NL',
      Manager: i === 0 ? null : (rows[0].ID as string),
      IsActive: !left,
      ActiveEmployment: left ? 0 : 1,
      StartDate: start,
      EndDate: left ? today - r.int(10, 300) * day : null,
      BirthDate: Date.UTC(r.int(1965, 2002), r.int(0, 11), r.int(1, 28)),
      BirthPlace: division.city,
      Nationality: division.country,
      SocialSecurityNumber: r.digits(9),
      PrivateEmail: `${slug(first)}${r.int(10, 99)}@gmail.com`,
      ...audit(division, start),
    });
  }
  return rows;
}

const projectKinds: Array<[string, number]> = [
  ['Migratie naar Microsoft 365', 2], ['Uitrol nieuwe laptops', 2], ['Netwerkvernieuwing', 3], ['Beheercontract', 5],
  ['Implementatie Intune', 3], ['Back-up en herstel', 3], ['Telefonie naar Teams', 2], ['Beveiligingsscan', 2],
];

function projects(division: DivisionInfo, count: number, accounts: Row[], staff: Row[], today: number): Row[] {
  const customers = accounts.filter((a) => a.Status === 'C');
  const rows: Row[] = [];
  const year = new Date(today).getUTCFullYear() % 100;
  for (let i = 0; i < count; i++) {
    const r = rng(`${division.code}:project:${i}`);
    // Every tenth project is internal: no customer, as Exact allows for type 4.
    const internal = i % 10 === 9 || customers.length === 0;
    const customer = internal ? undefined : customers[(i * 7) % customers.length];
    const [kind, type] = internal ? ['Interne kennisdag', 4] : r.pick(projectKinds);
    const start = today - r.int(0, 600) * day;
    const manager = staff.length ? staff[r.int(0, Math.min(staff.length, 6) - 1)] : undefined;
    const budget = type === 4 ? 0 : r.int(20, 400) * 100;
    rows.push({
      ID: r.guid(),
      Code: `P${year}-${String(i + 1).padStart(4, '0')}`,
      Description: customer ? `${kind} ${String(customer.Name)}`.slice(0, 60) : kind,
      Account: customer ? (customer.ID as string) : null,
      AccountCode: customer ? (customer.Code as string) : null,
      AccountName: customer ? (customer.Name as string) : null,
      Type: type,
      TypeDescription: ({ 1: 'Campagne', 2: 'Vaste prijs', 3: 'Nacalculatie', 4: 'Niet factureerbaar', 5: 'Vooruitbetaald' } as Record<number, string>)[type],
      StartDate: start,
      EndDate: r.chance(0.3) ? start + r.int(30, 240) * day : null,
      Manager: manager ? (manager.ID as string) : null,
      ManagerFullname: manager ? (manager.FullName as string) : null,
      BudgetedAmount: budget,
      BudgetedCosts: Math.round(budget * 0.6),
      BudgetedRevenue: budget,
      SalesTimeQuantity: type === 3 ? r.int(8, 200) : 0,
      BlockEntry: false,
      CustomerPOnumber: customer && r.chance(0.4) ? `PO-${r.digits(5)}` : null,
      Notes: null,
      ...audit(division, start),
    });
  }
  return rows;
}

/** Every master dataset of one division, in the order the store stamps their Timestamps. */
export function seedMaster(division: DivisionInfo, sizes: MasterSizes, accounts: Row[], today: number): Record<MasterDataset, Row[]> {
  const vat = vatCodes(division, sizes.vatCodes, today);
  const staff = employees(division, sizes.employees, today);
  return {
    vatCodes: vat,
    paymentConditions: paymentConditions(division),
    costCenters: costCenters(division, today),
    currencies: currencies(division),
    items: items(division, sizes.items, vat, today),
    employees: staff,
    projects: projects(division, sizes.projects, accounts, staff, today),
    bankAccounts: bankAccounts(division, accounts),
    journals: journals(division),
  };
}
