// Field work: on the visit form, show only the place input that matches the chosen kind of place.
// Without this script every place input stays visible and the server picks the matching one.
(function () {
  function showPlace(form) {
    var select = form.querySelector("[data-place-kind]");
    if (!select) {
      return;
    }
    form.querySelectorAll("[data-place-for]").forEach(function (input) {
      var wrap = input.closest(".mq-field") || input;
      var match = input.getAttribute("data-place-for").split(" ").indexOf(select.value) !== -1;
      wrap.hidden = !match;
    });
  }

  function hoursHint(form) {
    var start = form.querySelector("input[name='start_time']");
    var end = form.querySelector("input[name='end_time']");
    var hours = form.querySelector("input[name='hours']");
    if (!start || !end || !hours) {
      return;
    }
    hours.placeholder = "";
    if (start.value && end.value) {
      var a = start.value.split(":");
      var b = end.value.split(":");
      var minutes = (+b[0] * 60 + +b[1]) - (+a[0] * 60 + +a[1]);
      if (minutes > 0) {
        hours.placeholder = (Math.round(minutes / 6) / 10).toString();
      }
    }
  }

  // What the domain apps add to visits of some kinds (fieldwork.extensions): shown for those kinds only.
  function showExtensions(form) {
    var kind = form.querySelector("select[name='kind']");
    form.querySelectorAll("fieldset[data-visit-kinds]").forEach(function (fieldset) {
      var kinds = fieldset.getAttribute("data-visit-kinds").split(" ").filter(Boolean);
      fieldset.hidden = !!kind && kinds.length > 0 && kinds.indexOf(kind.value) === -1;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-visit-form]").forEach(function (form) {
      showPlace(form);
      hoursHint(form);
      showExtensions(form);
    });
  });
  document.addEventListener("change", function (event) {
    var form = event.target instanceof Element ? event.target.closest("form[data-visit-form]") : null;
    if (form) {
      showPlace(form);
      hoursHint(form);
      showExtensions(form);
    }
  });
})();
