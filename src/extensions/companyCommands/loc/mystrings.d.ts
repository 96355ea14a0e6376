declare interface ICompanyCommandsCommandSetStrings {
  Close: string;
  /** The dialog's spinner while the customer panel loads. */
  Loading: string;
}

declare module 'CompanyCommandsCommandSetStrings' {
  const strings: ICompanyCommandsCommandSetStrings;
  export = strings;
}
