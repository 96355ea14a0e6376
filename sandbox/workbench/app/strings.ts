import type { WorkbenchLocale } from './config';

/** The workbench's own words (the SharePoint-like chrome around the web parts). */
const en = {
  siteName: 'Contoso CRM',
  suiteName: 'SharePoint',
  signInTitle: 'Sign in to Contoso CRM',
  signInText: 'This is the connector\'s offline workbench: a SharePoint site with the CRM lists, Exact Online and Entra ID stand-ins. Sign in with one of the demo users.',
  signInDemoUsers: 'Demo users: admin@contoso.test (password admin) is a site owner and CRM administrator; sales@contoso.test (password sales) is a sales user.',
  signInButton: 'Sign in',
  signingIn: 'Signing in… finish in the window that opened.',
  signInFailed: 'Signing in did not work: {0}',
  signInBlocked: 'Your browser blocked the sign-in window. Allow pop-ups for this site and choose Sign in again.',
  signOut: 'Sign out',
  signedInAs: 'Signed in as {0}',
  language: 'Language',
  theme: 'Theme',
  themeLight: 'Light',
  themeDark: 'Dark',
  themeContrast: 'High contrast',
  navLabel: 'Site navigation',
  navHome: 'Home',
  homeTitle: 'Welcome, {0}',
  homeText: 'The CRM keeps companies and contacts in SharePoint lists and reads invoices, balances and overdue amounts from Exact Online.',
  homeAdmin: 'As a CRM administrator you find the connection with Exact Online under Administration at the top right.',
  homeSales: 'Pages for sales users appear here as they are added to the site.',
  notFound: 'This page does not exist on the site.',
  loading: 'Loading…',
};

const nl: typeof en = {
  siteName: 'Contoso CRM',
  suiteName: 'SharePoint',
  signInTitle: 'Aanmelden bij Contoso CRM',
  signInText: 'Dit is de offline werkbank van de connector: een SharePoint-site met de CRM-lijsten en vervangers van Exact Online en Entra ID. Meld u aan met een van de demogebruikers.',
  signInDemoUsers: 'Demogebruikers: admin@contoso.test (wachtwoord admin) is site-eigenaar en CRM-beheerder; sales@contoso.test (wachtwoord sales) is verkoper.',
  signInButton: 'Aanmelden',
  signingIn: 'Bezig met aanmelden… rond het af in het venster dat is geopend.',
  signInFailed: 'Aanmelden is niet gelukt: {0}',
  signInBlocked: 'Uw browser heeft het aanmeldvenster geblokkeerd. Sta pop-ups toe voor deze site en kies opnieuw Aanmelden.',
  signOut: 'Afmelden',
  signedInAs: 'Aangemeld als {0}',
  language: 'Taal',
  theme: 'Thema',
  themeLight: 'Licht',
  themeDark: 'Donker',
  themeContrast: 'Hoog contrast',
  navLabel: 'Sitenavigatie',
  navHome: 'Start',
  homeTitle: 'Welkom, {0}',
  homeText: 'Het CRM bewaart bedrijven en contactpersonen in SharePoint-lijsten en leest facturen, saldo\'s en vervallen bedragen uit Exact Online.',
  homeAdmin: 'Als CRM-beheerder vindt u de koppeling met Exact Online onder Beheer rechtsboven.',
  homeSales: 'Pagina\'s voor verkopers verschijnen hier zodra ze aan de site zijn toegevoegd.',
  notFound: 'Deze pagina bestaat niet op de site.',
  loading: 'Bezig met laden…',
};

export type WorkbenchStrings = typeof en;
export const workbenchStrings = (locale: WorkbenchLocale): WorkbenchStrings => (locale === 'nl-nl' ? nl : en);
