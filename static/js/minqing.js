// Small progressive enhancements; every page works without them.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
    target.form.submit();
  }
  // A choice that changes which fields a form has (a matter's kind): reload the page with it chosen.
  var parameter = target instanceof HTMLSelectElement ? target.getAttribute("data-reload-with") : null;
  if (parameter) {
    var url = new URL(window.location.href);
    url.searchParams.set(parameter, target.value);
    window.location.assign(url.toString());
  }
});
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form instanceof HTMLFormElement ? form.getAttribute("data-confirm") : null;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
