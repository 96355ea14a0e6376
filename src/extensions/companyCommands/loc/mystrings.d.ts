declare interface ICompanyCommandsCommandSetStrings {
  Close: string;
}

declare module 'CompanyCommandsCommandSetStrings' {
  const strings: ICompanyCommandsCommandSetStrings;
  export = strings;
}
