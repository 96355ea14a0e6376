/**
 * The stand-in's own words where a tab's page refers to them (a Dutch settings page says "Kies
 * Opslaan"): Teams' "Add a tab" dialog, a tab's options and the channel's Posts tab, in the
 * client's language.
 */
export interface HostWords {
  addTab: string;
  addApp: (app: string) => string;
  chooseApp: string;
  apps: string;
  settingsOf: (app: string) => string;
  save: string;
  saving: string;
  back: string;
  cancel: string;
  notSaved: (reason: string) => string;
  posts: string;
  postsText: string;
  tabOptions: string;
  settings: string;
  remove: string;
}

const en: HostWords = {
  addTab: 'Add a tab',
  addApp: (app) => `Add ${app}`,
  chooseApp: 'Choose an app to add as a tab in this channel.',
  apps: 'Apps',
  settingsOf: (app) => `${app} settings`,
  save: 'Save',
  saving: 'Saving…',
  back: 'Back',
  cancel: 'Cancel',
  notSaved: (reason) => `The tab could not be saved: ${reason}`,
  posts: 'Posts',
  postsText: "The channel's conversation is not part of this stand-in. Choose + in the tab header to add a customer's finance as a tab.",
  tabOptions: 'Tab options',
  settings: 'Settings',
  remove: 'Remove',
};

const nl: HostWords = {
  addTab: 'Een tabblad toevoegen',
  addApp: (app) => `${app} toevoegen`,
  chooseApp: 'Kies een app om als tabblad aan dit kanaal toe te voegen.',
  apps: 'Apps',
  settingsOf: (app) => `Instellingen van ${app}`,
  save: 'Opslaan',
  saving: 'Opslaan…',
  back: 'Terug',
  cancel: 'Annuleren',
  notSaved: (reason) => `Het tabblad kon niet worden opgeslagen: ${reason}`,
  posts: 'Berichten',
  postsText: 'Het gesprek van het kanaal hoort niet bij deze stand-in. Kies + in de tabbladen om de financiën van een klant als tabblad toe te voegen.',
  tabOptions: 'Opties voor het tabblad',
  settings: 'Instellingen',
  remove: 'Verwijderen',
};

export const hostWords = (locale: string): HostWords => (locale === 'nl-nl' ? nl : en);
