// Searchable choices (Tom Select, vendored in static/vendor/tom-select): a <select data-picker> becomes a box
// one types a few characters of a name or unit into. Without JavaScript, or if the script fails to load, the plain
// <select> (multiple or not) works as it is and posts the same field names.
(function () {
  "use strict";

  function enhance(root) {
    if (typeof window.TomSelect === "undefined" || !root || !root.querySelectorAll) {
      return;
    }
    root.querySelectorAll("select[data-picker]").forEach(function (select) {
      if (select.tomselect) {
        return;
      }
      var multiple = select.multiple;
      new window.TomSelect(select, {
        plugins: multiple ? ["remove_button"] : [],
        maxOptions: 500,
        hidePlaceholder: true,
        closeAfterSelect: !multiple,
        placeholder: select.getAttribute("data-placeholder") || "",
        searchField: ["text"],
        render: {
          no_results: function () {
            var text = document.documentElement.lang.indexOf("zh") === 0 ? "没有匹配项" : "No match";
            return '<div class="no-results">' + text + "</div>";
          },
        },
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhance(document);
  });
  // Parts of a page that htmx swaps in (the matter panel after an action) get their pickers too.
  document.addEventListener("htmx:load", function (event) {
    enhance(event.target);
  });
})();
