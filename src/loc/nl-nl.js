define([], function () {
  return {
    Loading: "Bezig met laden…",
    Retry: "Opnieuw proberen",
    Refresh: "Vernieuwen",
    Cancel: "Annuleren",
    Save: "Opslaan",
    Saved: "Opgeslagen",
    Close: "Sluiten",
    UpdatedAt: "Bijgewerkt {0}",
    NotAllowedTitle: "Alleen voor CRM-beheerders",
    NotAllowedAdmin: "Alleen CRM-beheerders (eigenaren van deze site) kunnen de koppeling met Exact Online wijzigen. Vraag een site-eigenaar als hier iets moet veranderen.",
    ProblemAccessDenied: "U hebt hiervoor geen toestemming. Een site-eigenaar kan u toegang geven.",
    ProblemNotSignedIn: "Uw aanmelding is verlopen. Laad de pagina opnieuw om u opnieuw aan te melden.",
    ProblemNotConnected: "Exact Online is nog niet gekoppeld voor uw organisatie.",
    ProblemNotConnectedAdminLink: "Open de pagina Koppeling met Exact",
    ProblemNeedsConsent: "Exact Online heeft opnieuw toestemming van een beheerder nodig.",
    ProblemBudget: "Uw organisatie heeft haar tegoed aan Exact Online-aanroepen voorlopig verbruikt.",
    ProblemBudgetUntil: "Uw organisatie heeft haar tegoed aan Exact Online-aanroepen verbruikt. Het is weer beschikbaar om {0}.",
    ProblemUnavailable: "Exact Online of de gateway van de connector reageert op dit moment niet. Probeer het over een paar minuten opnieuw.",
    ProblemNetwork: "De connector is niet bereikbaar. Controleer uw netwerkverbinding en probeer het opnieuw.",
    ProblemBadRequest: "Het verzoek is geweigerd.",
    ProblemUnknown: "Er is iets misgegaan.",
    Details: "Details: {0}",
    AdminMenuLabel: "Beheer",
    AdminMenuExactConnection: "Koppeling met Exact Online",
    AdminMenuImportProfiles: "Importprofielen"
  };
});
