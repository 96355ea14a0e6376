define([], function () {
  return {
    Close: "Close",
    Loading: "Loading the customer's finance…",
  };
});
