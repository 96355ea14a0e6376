define([], function () {
  return {
    Close: "Close",
  };
});
