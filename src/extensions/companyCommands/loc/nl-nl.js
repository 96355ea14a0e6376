define([], function () {
  return {
    Close: "Sluiten",
  };
});
