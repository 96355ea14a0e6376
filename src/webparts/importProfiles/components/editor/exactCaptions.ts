/**
 * Exact Online's own captions for the fields a profile maps, in English and Dutch (as Exact's
 * screens show them: Relatiecode, KvK-nummer, Btw-nummer, Plaats), plus the names CRM lists
 * commonly give the same thing. The automatic mapping matches CRM columns on these; the pickers
 * show them beside the API name.
 */

export interface Caption {
  en: string;
  nl: string;
  /** Other names a CRM column for this field often has (`KvkNumber`, `Company`). */
  aka?: string[];
}

const common: Record<string, Caption> = {
  ID: { en: 'Exact ID', nl: 'Exact-ID', aka: ['ExactId'] },
  Code: { en: 'Code', nl: 'Code', aka: ['ExactCode'] },
  Name: { en: 'Name', nl: 'Naam', aka: ['Title', 'Company name', 'Bedrijfsnaam'] },
  Email: { en: 'Email', nl: 'E-mail', aka: ['E-mail address', 'E-mailadres'] },
  Phone: { en: 'Phone', nl: 'Telefoon', aka: ['Telephone', 'Telefoonnummer'] },
  Mobile: { en: 'Mobile', nl: 'Mobiel', aka: ['Mobile phone', 'Mobiele telefoon'] },
  Website: { en: 'Website', nl: 'Website', aka: ['Web address', 'Webadres', 'URL'] },
  Postcode: { en: 'Postcode', nl: 'Postcode', aka: ['Zip code', 'Postal code'] },
  City: { en: 'City', nl: 'Plaats', aka: ['Town', 'Woonplaats'] },
  Country: { en: 'Country', nl: 'Land' },
  Modified: { en: 'Modified', nl: 'Gewijzigd', aka: ['Exact modified', 'Gewijzigd in Exact'] },
  Created: { en: 'Created', nl: 'Aangemaakt' },
  StartDate: { en: 'Start date', nl: 'Startdatum', aka: ['Customer since', 'Klant sinds'] },
  EndDate: { en: 'End date', nl: 'Einddatum' },
  Remarks: { en: 'Remarks', nl: 'Opmerkingen', aka: ['Notes', 'Notities'] },
  Description: { en: 'Description', nl: 'Omschrijving' },
  Language: { en: 'Language', nl: 'Taal' },
};

const byEntity: Record<string, Record<string, Caption>> = {
  Account: {
    Code: { en: 'Account code', nl: 'Relatiecode', aka: ['ExactCode', 'Exact code', 'Customer number', 'Klantnummer'] },
    Name: { en: 'Name', nl: 'Naam', aka: ['Title', 'Company', 'Company name', 'Bedrijfsnaam', 'Bedrijf'] },
    Status: { en: 'Status', nl: 'Status', aka: ['CustomerStatus', 'Customer status', 'Klantstatus'] },
    Blocked: { en: 'Blocked', nl: 'Geblokkeerd' },
    ChamberOfCommerce: { en: 'Chamber of Commerce', nl: 'KvK-nummer', aka: ['KvK', 'KvK number', 'KvkNumber', 'CoC number'] },
    VATNumber: { en: 'VAT number', nl: 'Btw-nummer', aka: ['VatNumber', 'VAT', 'Btw'] },
    AddressLine1: { en: 'Address', nl: 'Adres', aka: ['Address line 1', 'Adresregel 1', 'Street', 'Straat'] },
    AddressLine2: { en: 'Address line 2', nl: 'Adresregel 2' },
    AddressLine3: { en: 'Address line 3', nl: 'Adresregel 3' },
    CreditLineSales: { en: 'Credit line (sales)', nl: 'Kredietlimiet verkoop', aka: ['Credit line', 'CreditLine', 'Kredietlimiet'] },
    DiscountSales: { en: 'Discount (sales)', nl: 'Korting verkoop' },
    PaymentConditionSales: { en: 'Payment condition (sales)', nl: 'Betalingsconditie verkoop' },
    SalesCurrency: { en: 'Currency (sales)', nl: 'Valuta verkoop' },
    SalesVATCode: { en: 'VAT code (sales)', nl: 'Btw-code verkoop' },
    AccountManagerFullName: { en: 'Account manager', nl: 'Accountmanager' },
    IsSupplier: { en: 'Supplier', nl: 'Leverancier' },
    IsSales: { en: 'Customer', nl: 'Debiteur' },
    Fax: { en: 'Fax', nl: 'Fax' },
    CountryName: { en: 'Country name', nl: 'Landnaam' },
    StartDate: { en: 'Start date', nl: 'Startdatum', aka: ['Customer since', 'CustomerSince', 'Klant sinds'] },
    Modified: { en: 'Modified', nl: 'Gewijzigd', aka: ['ExactModified', 'Exact modified', 'Gewijzigd in Exact'] },
  },
  Contact: {
    Account: { en: 'Account', nl: 'Relatie', aka: ['Company', 'Bedrijf', 'Organisation', 'Organisatie', 'ExactAccountId', 'Exact account ID'] },
    AccountName: { en: 'Account name', nl: 'Relatienaam', aka: ['Company name', 'Bedrijfsnaam'] },
    FirstName: { en: 'First name', nl: 'Voornaam', aka: ['Given name'] },
    MiddleName: { en: 'Middle name', nl: 'Tussenvoegsel' },
    LastName: { en: 'Last name', nl: 'Achternaam', aka: ['Surname', 'Family name'] },
    FullName: { en: 'Full name', nl: 'Volledige naam', aka: ['Title', 'Name', 'Naam'] },
    Initials: { en: 'Initials', nl: 'Voorletters' },
    Title: { en: 'Salutation', nl: 'Aanhef' },
    Gender: { en: 'Gender', nl: 'Geslacht' },
    JobTitleDescription: { en: 'Job title', nl: 'Functie', aka: ['JobTitle', 'Function'] },
    AddressStreet: { en: 'Street', nl: 'Straat' },
    AddressStreetNumber: { en: 'House number', nl: 'Huisnummer' },
    IsMainContact: { en: 'Main contact', nl: 'Hoofdcontactpersoon' },
  },
  SalesInvoice: {
    InvoiceNumber: { en: 'Invoice number', nl: 'Factuurnummer' },
    InvoiceToName: { en: 'Invoice to', nl: 'Factuur aan' },
    InvoiceDate: { en: 'Invoice date', nl: 'Factuurdatum' },
    DueDate: { en: 'Due date', nl: 'Vervaldatum' },
    AmountDC: { en: 'Amount', nl: 'Bedrag' },
    Currency: { en: 'Currency', nl: 'Valuta' },
    StatusDescription: { en: 'Status', nl: 'Status' },
    YourRef: { en: 'Your reference', nl: 'Uw referentie' },
    PaymentConditionDescription: { en: 'Payment condition', nl: 'Betalingsconditie' },
  },
};

/** The caption of an Exact field, when Exact gives it one this product knows. */
export function captionOf(entity: string, field: string): Caption | undefined {
  return byEntity[entity]?.[field] ?? common[field];
}

/** Exact's caption in the reader's language ("Naam"); the API name when it has none or they read the same. */
export function fieldCaption(entity: string, field: string, language: 'en' | 'nl'): string {
  const caption = captionOf(entity, field);
  if (!caption) return field;
  const words = caption[language];
  return words.replace(/[\s-]/g, '').toLowerCase() === field.toLowerCase() ? field : words;
}
