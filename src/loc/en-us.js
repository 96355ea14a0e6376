define([], function () {
  return {
    Loading: "Loading…",
    Retry: "Try again",
    Refresh: "Refresh",
    Cancel: "Cancel",
    Save: "Save",
    Saved: "Saved",
    Close: "Close",
    UpdatedAt: "Updated {0}",
    NotAllowedTitle: "For CRM administrators only",
    NotAllowedAdmin: "Only CRM administrators (owners of this site) can change the Exact Online connection. Ask a site owner if you need something changed here.",
    ProblemAccessDenied: "You don't have permission for this. A site owner can give you access.",
    ProblemNotSignedIn: "Your sign-in has expired. Reload the page to sign in again.",
    ProblemNotConnected: "Exact Online is not connected for your organisation yet.",
    ProblemNotConnectedAdminLink: "Open the Exact connection page",
    ProblemNeedsConsent: "Exact Online needs a new consent from an administrator.",
    ProblemBudget: "Your organisation has used its Exact Online call budget for now.",
    ProblemBudgetUntil: "Your organisation has used its Exact Online call budget. It comes back at {0}.",
    ProblemUnavailable: "Exact Online or the connector's gateway is not answering right now. Try again in a few minutes.",
    ProblemNetwork: "The connector could not be reached. Check your network connection and try again.",
    ProblemBadRequest: "The request was refused.",
    ProblemUnknown: "Something went wrong.",
    Details: "Details: {0}",
    AdminMenuLabel: "Administration",
    AdminMenuExactConnection: "Exact Online connection",
    AdminMenuImportProfiles: "Import profiles"
  };
});
