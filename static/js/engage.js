// Let htmx show refusals (400 already endorsed, 429 too many requests) in place, for forms that ask for it
// with data-mq-swap-errors (portal/_endorse_button.html). Without this file the plain form post still works.
document.addEventListener("htmx:beforeSwap", function (event) {
  var detail = event.detail;
  var status = detail.xhr.status;
  var source = detail.elt || (detail.requestConfig && detail.requestConfig.elt);
  if ((status === 400 || status === 429) && source && source.closest && source.closest("[data-mq-swap-errors]")) {
    detail.shouldSwap = true;
    detail.isError = false;
  }
});
