define([], function () {
  return {
    Close: "Sluiten",
    Loading: "Financiën van de klant worden geladen…",
  };
});
