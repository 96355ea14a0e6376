declare interface ICommonStrings {
  Loading: string;
  Retry: string;
  Refresh: string;
  Cancel: string;
  Save: string;
  Saved: string;
  Close: string;
  UpdatedAt: string;
  NotAllowedTitle: string;
  NotAllowedAdmin: string;
  ProblemAccessDenied: string;
  ProblemNotSignedIn: string;
  ProblemNotConnected: string;
  ProblemNotConnectedAdminLink: string;
  ProblemNeedsConsent: string;
  ProblemBudget: string;
  ProblemBudgetUntil: string;
  ProblemUnavailable: string;
  ProblemSharePointUnavailable: string;
  ProblemNetwork: string;
  ProblemBadRequest: string;
  ProblemUnknown: string;
  Details: string;
  AdminMenuLabel: string;
  AdminMenuExactConnection: string;
  AdminMenuImportProfiles: string;
  AdminMenuAttention: string;
  AdminMenuAttentionItem: string;
  AdminMenuLabelAttention: string;
  PropertyPaneDescription: string;
  SettingsGroup: string;
  GatewayUrlLabel: string;
  GatewayResourceLabel: string;
  CrmSiteUrlLabel: string;
  /** An admin web part without gateway settings yet. */
  NotConfigured: string;
  /** When a part of the page loaded on demand did not arrive. */
  PartLoadFailed: string;
  /** Property pane, a URL field: {0} is the field's label. */
  UrlNotHttps: string;
  UrlNotAbsolute: string;
  /** A component's own gateway that is neither the tenant property's nor the package's: {0} the URL. */
  SettingsNotAllowedGateway: string;
  /** An allowed gateway with another resource than its own: {0} the resource, {1} the gateway URL. */
  SettingsNotAllowedResource: string;
  /** A component's own URL setting: {0} the value, {1} the property's name. */
  SettingsNotHttps: string;
  SettingsNotAbsolute: string;
  /** The tenant property's own problem (settingsRefusal.ts tenantProblemText). */
  TenantNotJson: string;
  TenantInvalid: string;
  TenantUnreadable: string;
  ZodRequired: string;
  ZodInvalidType: string;
  ZodTypeText: string;
  ZodTypeNumber: string;
  ZodTypeWholeNumber: string;
  ZodTypeYesNo: string;
  ZodTypeDate: string;
  ZodTypeList: string;
  ZodTypeGroup: string;
  ZodTypeNothing: string;
  ZodTypeOther: string;
  ZodInvalidLiteral: string;
  ZodCustom: string;
  ZodInvalidUnion: string;
  ZodInvalidChoice: string;
  ZodInvalidKind: string;
  ZodUnrecognizedKeys: string;
  ZodInvalidArguments: string;
  ZodInvalidReturnType: string;
  ZodInvalidDate: string;
  ZodStringForm: string;
  ZodFormEmail: string;
  ZodFormUrl: string;
  ZodFormGuid: string;
  ZodFormDate: string;
  ZodFormTime: string;
  ZodFormAllowed: string;
  ZodStringIncludes: string;
  ZodStringStartsWith: string;
  ZodStringEndsWith: string;
  ZodTextMin: string;
  ZodTextMax: string;
  ZodTextExact: string;
  ZodNumberMin: string;
  ZodNumberAbove: string;
  ZodNumberMax: string;
  ZodNumberBelow: string;
  ZodNumberExact: string;
  ZodListMin: string;
  ZodListMax: string;
  ZodListExact: string;
  ZodDateMin: string;
  ZodDateMax: string;
  ZodInvalidIntersection: string;
  ZodNotMultipleOf: string;
  ZodNotFinite: string;
}

declare module 'CommonStrings' {
  const strings: ICommonStrings;
  export = strings;
}
